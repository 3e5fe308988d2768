import { scrubSecrets } from './secrets/secret-text.ts';

/**
 * Domain errors: thrown by domain code, stores and services. One middleware (trpc.ts) maps them to
 * protocol errors; every wrap keeps `cause` so the log shows the whole story.
 *
 * Each error carries a stable `code` (what the console translates, issue 17.4) and `params` (the numbers and
 * names the translation fills in). The English `message` stays for logs, the audit trail and API callers that
 * read text; it is never what the console shows. An error without its own code gets its class's
 * (`defaultCodeOf`), so every refusal has one.
 */
export type ErrorParams = Record<string, string | number>;

export interface ErrorOptions {
  cause?: unknown;
  /** A stable code from ERROR_CODES (or a class's default when omitted). */
  code?: ErrorCode;
  params?: ErrorParams;
}

/**
 * The stable codes, each with the HTTP status it answers with. Dotted `area.what`; never renamed (the
 * console's catalogue console/src/app/core/i18n/error-messages.ts translates them; an unknown one still shows
 * a generic localized message with the code).
 *  - 400 malformed or invalid input (schema, domain rule on one input, CSV rows)
 *  - 401 not signed in; 403 a right is missing; 404 not there (or not in your scope)
 *  - 409 the state moved: already decided, duplicate, already exists, still in use
 *  - 422 well-formed, but beyond the quota: the same answer however often the same ask is sent (a second
 *    identical ask is no "duplicate" (409): the first created nothing)
 *  - 429 too many attempts; 500 a fault of ours (no detail); 503 the database cannot be reached just now
 */
export const ERROR_CODES = {
  'input.invalid': 400, // schema validation failed: see `issues`
  'input.malformed': 400, // not parseable at all (bad JSON, ill-formed Unicode)
  'input.rejected': 400, // a domain rule refused one input: see `path`
  'input.tooLarge': 413,
  'csv.rowsInvalid': 400, // params: count, rows
  'auth.required': 401,
  'auth.loginFailed': 401, // wrong user name or password, or locked for a while (deliberately not telling which)
  'auth.forbidden': 403,
  'auth.roleMissing': 403, // params: roles
  'auth.passwordChangeRequired': 403,
  'auth.ownRequest': 403,
  'auth.passwordWrong': 400, // the current password given to a change is wrong (path: currentPassword)
  'auth.passwordWeak': 400, // params: rule (length | classes | common | name), minLength
  'auth.passwordUnchanged': 400, // the new password equals the current one
  'approval.notApprover': 403, // params: step
  'notFound': 404,
  'conflict': 409,
  'conflict.exists': 409,
  'conflict.reference': 409,
  'conflict.overlap': 409,
  'approval.alreadyDecided': 409, // params: step (optional), status (optional)
  'request.notPending': 409, // params: status
  'request.duplicate': 409, // params: requestId (the open request it repeats), status
  'quota.exceeded': 422, // params: level, ref, resourceClass, cloudId, left, requested
  'policy.denied': 400, // params: reasons (an input the rules refuse: change it)
  'placement.noCloud': 400, // params: reasons
  'migration.dependencyCycle': 400, // params: systems (the cycle, by name, in order)
  'migration.targetLacksArch': 400, // params: cloud, arch, offered
  'migration.windowInPast': 400, // params: window, weekStart
  'migration.capacityEmpty': 400, // params: capacity (an operator-hours, vCPU pool or link capacity with nothing in it)
  'migration.alreadyMigrating': 409, // params: systems
  'rateLimited': 429,
  'notSupported': 405,
  'timeout': 408,
  'internal': 500,
  'unavailable': 503, // the database cannot be reached just now (a restart, a failover): try again shortly
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly params?: ErrorParams;
  constructor(message: string, options?: ErrorOptions) {
    // Messages often quote a provider's or a library's text, which may quote a URL or a header: scrubbed here,
    // once, because a domain error's message reaches the caller, the audit trail and the log.
    super(scrubSecrets(message), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options?.code ?? defaultCodeOf(this);
    if (options?.params) this.params = options.params;
  }
}

/** Bad input that passed the schema but fails a domain rule; `field` points the console at the input. */
export class InputError extends DomainError {
  constructor(message: string, readonly field?: string, options?: ErrorOptions) {
    super(message, options);
  }
}
export class NotFoundError extends DomainError {}
export class ConflictError extends DomainError {
  constructor(message: string, readonly field?: string, options?: ErrorOptions) {
    super(message, options);
  }
}
export class AuthenticationError extends DomainError {}
export class ForbiddenError extends DomainError {}
export class TooManyRequestsError extends DomainError {}

function defaultCodeOf(e: DomainError): ErrorCode {
  return e instanceof InputError ? 'input.rejected'
    : e instanceof NotFoundError ? 'notFound'
    : e instanceof ConflictError ? 'conflict'
    : e instanceof AuthenticationError ? 'auth.required'
    : e instanceof ForbiddenError ? 'auth.forbidden'
    : e instanceof TooManyRequestsError ? 'rateLimited'
    : 'input.rejected';
}
