/**
 * Sealed credentials that do not open, for the specs of every place that opens one (the providers' registry here,
 * the control plane's federation), and what refusing one must look like there: an error of that place's class on
 * the `credential` field whose message and cause never quote the secret (both reach logs and API answers).
 */
export const UNREADABLE_CREDENTIALS: readonly (readonly [why: string, secret: string])[] = [
  ['a legacy plain token (not JSON)', 'Plain-Secret-Token-77'],
  ['JSON of the wrong shape', '{"type":"password","pass":"Plain-Secret-Token-77"}'],
];

/** The secret text inside each of UNREADABLE_CREDENTIALS. */
const SECRET = 'Plain-Secret-Token-77';

export function expectCredentialRefused(open: () => unknown, errorClass: new (...args: never[]) => Error): void {
  let error: unknown;
  try {
    open();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(errorClass);
  expect((error as { field?: string }).field).toBe('credential');
  expect(String((error as Error).message)).not.toContain(SECRET);
  expect(String((error as Error).cause ?? '')).not.toContain(SECRET);
}
