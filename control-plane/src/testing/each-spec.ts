// Jasmine's lifecycle only: kept out of harness.ts, which the benches import without Jasmine's globals.
/**
 * In a describe: `build` before each spec (`timeoutMs` allowed, else Jasmine's default) and `stop` after it. Specs
 * read what it built from the returned object, filled anew for each spec (as testSshdForSuite's `sshd`).
 */
export function forEachSpec<T extends object>(build: () => Promise<T>, stop: (built: T) => unknown = () => undefined, timeoutMs?: number): T {
  const spec = {} as T;
  beforeEach(async () => {
    Object.assign(spec, await build());
  }, timeoutMs);
  afterEach(() => stop(spec));
  return spec;
}
