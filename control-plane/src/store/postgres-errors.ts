/**
 * Errors that mean "the database cannot be reached just now" (a restart, a failover, the server refusing
 * connections while it starts or stops), as opposed to an error in the statement: the API answers them 503
 * (error-mapping.ts), so that a client tries again later, and the replica keeps running and reconnects.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** SQLSTATE: class 08 (connection exception), 57P01–57P03 (admin shutdown, crash shutdown, cannot connect now). */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03']);
/** node-postgres's own words for a connection that went away (no code attached). */
const CLIENT_MESSAGES = [
  'Connection terminated unexpectedly', 'Connection terminated', 'Connection terminated due to connection timeout',
  'Client has encountered a connection error and is not queryable', 'Client was closed and is not queryable',
];

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (CLIENT_MESSAGES.includes(error.message)) return true;
  // Connecting to a name with several addresses fails with one error per address.
  if (error instanceof AggregateError) return error.errors.some((e) => isDatabaseUnavailable(e, depth + 1));
  return isDatabaseUnavailable(error.cause, depth + 1);
}
