import { TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import {
  AuthenticationError, ConflictError, DomainError, ForbiddenError, InputError, NotFoundError, TooManyRequestsError,
} from './errors.ts';

type Code = TRPCError['code'];

/** The one mapping from domain errors (and database constraint errors) to protocol errors. */
export function toTRPCError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (error.code !== 'INTERNAL_SERVER_ERROR' || !cause) return error;
  const mapped = mapCause(cause);
  if (mapped) return new TRPCError({ code: mapped.code, message: mapped.message, cause });
  // Unexpected: the log gets the cause; the caller gets no database or stack text (issue 19.6).
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'internal error: the request id in the X-Request-Id header finds it in the server log', cause });
}

function mapCause(cause: unknown): { code: Code; message: string } | null {
  if (cause instanceof DomainError) {
    const code: Code =
      cause instanceof InputError ? 'BAD_REQUEST'
      : cause instanceof NotFoundError ? 'NOT_FOUND'
      : cause instanceof ConflictError ? 'CONFLICT'
      : cause instanceof AuthenticationError ? 'UNAUTHORIZED'
      : cause instanceof ForbiddenError ? 'FORBIDDEN'
      : cause instanceof TooManyRequestsError ? 'TOO_MANY_REQUESTS'
      : 'BAD_REQUEST';
    return { code, message: cause.message };
  }
  // Constraint violations that got past the domain checks (two requests racing): report, don't crash.
  const pgCode = (cause as { code?: unknown }).code;
  if (pgCode === '23505') return { code: 'CONFLICT', message: `already exists (${(cause as { constraint?: string }).constraint ?? 'unique constraint'})` };
  if (pgCode === '23503') return { code: 'CONFLICT', message: 'refers to something that does not exist or is still referred to' };
  // Data exceptions (class 22: a number out of range, malformed text for a type): bad input that the schema let
  // through. The database's own text is not passed on.
  if (typeof pgCode === 'string' && pgCode.startsWith('22')) return { code: 'BAD_REQUEST', message: 'a value in the input is out of range or malformed for what it is stored as' };
  if (pgCode === '23P01') return { code: 'CONFLICT', message: 'overlaps an existing entry' };
  return null;
}

/** Field-level messages for the console: zod issues by dotted path, or the domain error's field. */
export function fieldErrorsOf(error: TRPCError): Record<string, string[]> | undefined {
  const cause = error.cause;
  if (cause instanceof ZodError) {
    const out: Record<string, string[]> = {};
    for (const issue of cause.issues) {
      const key = issue.path.map(String).join('.') || '_';
      (out[key] ??= []).push(issue.message);
    }
    return out;
  }
  if ((cause instanceof InputError || cause instanceof ConflictError) && cause.field) return { [cause.field]: [cause.message] };
  return undefined;
}
