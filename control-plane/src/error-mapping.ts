import { TRPCError } from '@trpc/server';
import { ZodError, type core } from 'zod';
import { isDatabaseUnavailable } from './store/postgres-errors.ts';
import { DomainError, ERROR_CODES, type ErrorCode, type ErrorParams, InputError, ConflictError } from './errors.ts';

type Code = TRPCError['code'];

/** One problem with one input field: the console translates `code` and shows it beside the field at `path`. */
export interface ErrorIssue {
  path: string[];
  code: string;
  params?: ErrorParams;
}

/**
 * What every error answer carries in `error.data.reason` (issue 17.4): a stable code, the field it is about
 * where there is one, the parameters of its message, and for schema failures one issue per field. It sits
 * under `reason` because tRPC's own `data.code` (BAD_REQUEST, …) and `data.path` (the procedure) are taken.
 */
export interface ErrorReason {
  code: ErrorCode;
  path?: string[];
  params?: ErrorParams;
  issues?: ErrorIssue[];
}

const TRPC_CODE_OF_STATUS: Record<number, Code> = {
  400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_SUPPORTED', 408: 'TIMEOUT',
  409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 422: 'UNPROCESSABLE_CONTENT', 429: 'TOO_MANY_REQUESTS', 500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** tRPC's own refusals (thrown before or around our code) by their code. */
const REASON_OF_TRPC_CODE: Partial<Record<Code, ErrorCode>> = {
  PARSE_ERROR: 'input.malformed', BAD_REQUEST: 'input.rejected', UNAUTHORIZED: 'auth.required', FORBIDDEN: 'auth.forbidden',
  NOT_FOUND: 'notFound', METHOD_NOT_SUPPORTED: 'notSupported', NOT_IMPLEMENTED: 'notSupported', TIMEOUT: 'timeout',
  CONFLICT: 'conflict', PAYLOAD_TOO_LARGE: 'input.tooLarge', UNPROCESSABLE_CONTENT: 'quota.exceeded', TOO_MANY_REQUESTS: 'rateLimited',
  SERVICE_UNAVAILABLE: 'unavailable',
};

/** Unique indexes whose violation means more than "already exists" (two submits that raced past the service's check). */
const CODE_OF_CONSTRAINT: Record<string, ErrorCode> = {
  resource_requests_open_ask_uq: 'request.duplicate',
};

const INTERNAL_MESSAGE = 'internal error: the request id in the X-Request-Id header finds it in the server log';

/** The one mapping from domain errors (and database constraint errors) to protocol errors. */
export function toTRPCError(error: TRPCError): TRPCError {
  const cause = error.cause;
  // tRPC puts zod's issue list, JSON-encoded, in the message: replace it with a sentence (the issues go in `reason`).
  if (cause instanceof ZodError) return new TRPCError({ code: 'BAD_REQUEST', message: schemaMessage(cause), cause });
  if (error.code !== 'INTERNAL_SERVER_ERROR' || !cause) return error;
  const mapped = mapCause(cause);
  if (mapped) return new TRPCError({ code: TRPC_CODE_OF_STATUS[ERROR_CODES[mapped.code]] ?? 'BAD_REQUEST', message: mapped.message, cause });
  // Unexpected: the log gets the cause; the caller gets no database or stack text (issue 19.6).
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: INTERNAL_MESSAGE, cause });
}

function mapCause(cause: unknown): { code: ErrorCode; message: string } | null {
  if (cause instanceof DomainError) return { code: cause.code, message: cause.message };
  // Constraint violations that got past the domain checks (two requests racing): report, don't crash.
  const pgCode = (cause as { code?: unknown }).code;
  // A unique index that stands for a specific rule answers with that rule's code.
  const constraint = (cause as { constraint?: unknown }).constraint;
  if (pgCode === '23505' && typeof constraint === 'string' && constraint in CODE_OF_CONSTRAINT) {
    return { code: CODE_OF_CONSTRAINT[constraint]!, message: `duplicate: ${constraint}` };
  }
  if (pgCode === '23505') return { code: 'conflict.exists', message: `already exists (${(cause as { constraint?: string }).constraint ?? 'unique constraint'})` };
  if (pgCode === '23503') return { code: 'conflict.reference', message: 'refers to something that does not exist or is still referred to' };
  // Data exceptions (class 22: a number out of range, malformed text for a type): bad input that the schema let
  // through. The database's own text is not passed on.
  if (typeof pgCode === 'string' && pgCode.startsWith('22')) return { code: 'input.rejected', message: 'a value in the input is out of range or malformed for what it is stored as' };
  if (pgCode === '23P01') return { code: 'conflict.overlap', message: 'overlaps an existing entry' };
  // A database restart or failover: 503, try again (issue 13.5); the replica reconnects by itself.
  if (isDatabaseUnavailable(cause)) return { code: 'unavailable', message: 'the database cannot be reached just now: try again shortly' };
  return null;
}

/** Zod's issues as sentences ("path: message"), at most three, for API callers and logs. */
function schemaMessage(error: ZodError): string {
  const said = error.issues.slice(0, 3).map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message));
  const more = error.issues.length > 3 ? `; and ${error.issues.length - 3} more` : '';
  return `${said.join('; ')}${more}`.slice(0, 500);
}

/** The stable description of any error that leaves a procedure (see ErrorReason). */
export function reasonOf(error: TRPCError): ErrorReason {
  const cause = error.cause;
  if (cause instanceof ZodError) {
    const issues = cause.issues.map(issueOf);
    return { code: 'input.invalid', ...(issues.length === 1 ? { path: issues[0]!.path } : {}), params: { count: issues.length }, issues };
  }
  if (cause instanceof DomainError) {
    const field = cause instanceof InputError || cause instanceof ConflictError ? cause.field : undefined;
    const nested = cause.cause instanceof ZodError ? cause.cause.issues.map(issueOf) : undefined;
    return { code: cause.code, ...(field ? { path: field.split('.') } : {}), ...(cause.params ? { params: cause.params } : {}), ...(nested ? { issues: nested } : {}) };
  }
  const mapped = error.code === 'INTERNAL_SERVER_ERROR' && cause ? mapCause(cause) : null;
  if (mapped) return { code: mapped.code };
  return { code: REASON_OF_TRPC_CODE[error.code] ?? (error.code === 'INTERNAL_SERVER_ERROR' ? 'internal' : 'input.rejected') };
}

/** A zod issue as a stable code and its parameters (zod's own English message is not passed on). */
function issueOf(issue: core.$ZodIssue): ErrorIssue {
  const path = issue.path.map(String);
  const params: ErrorParams = {};
  const put = (key: string, value: unknown) => {
    if (typeof value === 'string' || typeof value === 'number') params[key] = value;
    else if (typeof value === 'bigint') params[key] = Number(value);
    else if (Array.isArray(value)) params[key] = value.map(String).join(', ');
  };
  let code: string;
  switch (issue.code) {
    case 'too_small': code = 'input.tooSmall'; put('origin', issue.origin); put('minimum', issue.minimum); break;
    case 'too_big': code = 'input.tooBig'; put('origin', issue.origin); put('maximum', issue.maximum); break;
    case 'invalid_type': code = 'input.invalidType'; put('expected', issue.expected); break;
    case 'invalid_format': code = 'input.invalidFormat'; put('format', issue.format); break;
    case 'invalid_value': code = 'input.invalidValue'; put('values', issue.values); break;
    case 'unrecognized_keys': code = 'input.unknownKeys'; put('keys', issue.keys); break;
    case 'not_multiple_of': code = 'input.notMultipleOf'; put('divisor', issue.divisor); break;
    case 'custom': {
      // A refinement may name its own code: `.refine(f, { params: { code: 'system.creditCode' } })`.
      const own = issue.params as Record<string, unknown> | undefined;
      code = typeof own?.['code'] === 'string' ? own['code'] : 'input.rule';
      for (const [k, v] of Object.entries(own ?? {})) if (k !== 'code') put(k, v);
      break;
    }
    default: code = 'input.invalidValue';
  }
  return Object.keys(params).length ? { path, code, params } : { path, code };
}

/** Field-level messages (English, for API callers and logs): zod issues by dotted path, or the domain error's field. */
export function fieldErrorsOf(error: TRPCError): Record<string, string[]> | undefined {
  const cause = error.cause;
  const zod = cause instanceof ZodError ? cause : cause instanceof DomainError && cause.cause instanceof ZodError ? cause.cause : null;
  if (zod) {
    const out: Record<string, string[]> = {};
    for (const issue of zod.issues) {
      const key = issue.path.map(String).join('.') || '_';
      (out[key] ??= []).push(issue.message);
    }
    return out;
  }
  if ((cause instanceof InputError || cause instanceof ConflictError) && cause.field) return { [cause.field]: [cause.message] };
  return undefined;
}
