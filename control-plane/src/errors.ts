import { scrubSecrets } from './secrets/secret-text.ts';

/**
 * Domain errors: thrown by domain code, stores and services. One middleware (trpc.ts) maps them to
 * protocol errors; every wrap keeps `cause` so the log shows the whole story.
 */
export class DomainError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    // Messages often quote a provider's or a library's text, which may quote a URL or a header: scrubbed here,
    // once, because a domain error's message reaches the caller, the audit trail and the log.
    super(scrubSecrets(message), options);
    this.name = new.target.name;
  }
}

/** Bad input that passed the schema but fails a domain rule; `field` points the console at the input. */
export class InputError extends DomainError {
  constructor(message: string, readonly field?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
export class NotFoundError extends DomainError {}
export class ConflictError extends DomainError {
  constructor(message: string, readonly field?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
export class AuthenticationError extends DomainError {}
export class ForbiddenError extends DomainError {}
export class TooManyRequestsError extends DomainError {}
