// Jasmine's lifecycle only: kept out of harness.ts, which the benches import without Jasmine's globals.
/**
 * In a describe: `build` before each spec and `stop` after it (each given `timeoutMs`, else Jasmine's default). Specs
 * read what it built from the returned object, filled anew for each spec (as testSshdForSuite's `sshd`).
 */
export function forEachSpec<T extends object>(build: () => Promise<T>, stop: (built: T) => unknown = () => undefined, timeoutMs?: number): T {
  const spec = {} as T;
  beforeEach(async () => {
    Object.assign(spec, await build());
  }, timeoutMs);
  afterEach(() => stop(spec), timeoutMs);
  return spec;
}
