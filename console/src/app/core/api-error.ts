import type { AbstractControl } from '@angular/forms';

export type ProblemParams = Record<string, string | number>;

/**
 * One thing the server refused, as a stable code and the parameters of its text (issue 17.4): what the
 * console translates (core/error-text.ts). `issue` marks a problem with one field (zod's issue codes such as
 * `input.tooSmall`) as opposed to a whole-answer code from ERROR_CODES.
 */
export interface Problem {
  code: string;
  params?: ProblemParams;
  issue?: boolean;
  /**
   * The server's own English text for this field, kept only for the English screen when the code is a
   * generic one (`input.rule`, `input.rejected`) and says less than the text. Never shown in Chinese.
   */
  detail?: string;
}

/** A problem with the input at a dotted path (`items.0.vcpu`), to be shown beside that field. */
export interface FieldProblem {
  path: string;
  problem: Problem;
}

/** `error.data.reason` as the server sends it (control-plane/src/error-mapping.ts, ErrorReason). */
export interface ErrorReason {
  code: string;
  path?: string[];
  params?: ProblemParams;
  issues?: { path: string[]; code: string; params?: ProblemParams }[];
}

/** What the console needs from any failed call, whatever threw it. */
export interface ApiError {
  /** tRPC error code (BAD_REQUEST, UNAUTHORIZED, …) or NETWORK when no answer came back. */
  code: string;
  /** HTTP status of the answer; 0 when there was none. */
  status: number;
  /** The stable description the message is rendered from; null from a server or a failure that sent none. */
  reason: ErrorReason | null;
  /** The server's own English sentence: for the browser console and bug reports only, never rendered. */
  serverMessage: string;
  /** Problems that name a field: the reason's own path and each schema issue. */
  fields: FieldProblem[];
  /** A refusal of the console's own (checked before asking the server): a translation key and its parameters. */
  local?: { key: string; params?: ProblemParams };
}

/** An error the console itself raises, shown like a server's and translated where it is shown. */
export function localError(key: string, params?: ProblemParams): ApiError {
  return { code: 'BAD_REQUEST', status: 400, reason: null, serverMessage: '', fields: [], local: { key, ...(params ? { params } : {}) } };
}

const STATUS_OF_TRPC_CODE: Record<string, number> = {
  PARSE_ERROR: 400, BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, METHOD_NOT_SUPPORTED: 405,
  TIMEOUT: 408, CONFLICT: 409, PRECONDITION_FAILED: 412, PAYLOAD_TOO_LARGE: 413, UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429, CLIENT_CLOSED_REQUEST: 499, INTERNAL_SERVER_ERROR: 500, NOT_IMPLEMENTED: 501,
  BAD_GATEWAY: 502, SERVICE_UNAVAILABLE: 503, GATEWAY_TIMEOUT: 504,
};

/**
 * Reads the server's error shape (`error.data.code`, `.httpStatus`, `.reason`) without depending on
 * TRPCClientError's generics, so fakes in specs can throw plain objects too. Anything malformed in `reason` is
 * dropped rather than trusted: the rendering then falls back to the HTTP status.
 */
export function toApiError(err: unknown): ApiError {
  const e = (err ?? {}) as { message?: unknown; data?: unknown };
  const data = (e.data ?? {}) as { code?: unknown; httpStatus?: unknown; reason?: unknown; fieldErrors?: unknown };
  const code = typeof data.code === 'string' ? data.code : 'NETWORK';
  const status = typeof data.httpStatus === 'number' ? data.httpStatus : (STATUS_OF_TRPC_CODE[code] ?? 0);
  const serverMessage = typeof e.message === 'string' ? e.message : String(err);
  const reason = cleanReason(data.reason);
  return { code, status, reason, serverMessage, fields: reason ? fieldProblems(reason, cleanFieldErrors(data.fieldErrors)) : [] };
}

function cleanParams(raw: unknown): ProblemParams | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const out: ProblemParams = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

const cleanPath = (raw: unknown): string[] | undefined =>
  Array.isArray(raw) && raw.length > 0 ? raw.map(String) : undefined;

function cleanReason(raw: unknown): ErrorReason | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as { code?: unknown; path?: unknown; params?: unknown; issues?: unknown };
  if (typeof r.code !== 'string' || !r.code) return null;
  const reason: ErrorReason = { code: r.code };
  const path = cleanPath(r.path);
  if (path) reason.path = path;
  const params = cleanParams(r.params);
  if (params) reason.params = params;
  if (Array.isArray(r.issues)) {
    reason.issues = r.issues
      .filter((i): i is { code: string; path?: unknown; params?: unknown } => !!i && typeof (i as { code?: unknown }).code === 'string')
      .map((i) => {
        const params = cleanParams(i.params);
        return { path: cleanPath(i.path) ?? [], code: i.code, ...(params ? { params } : {}) };
      });
  }
  return reason;
}

function cleanFieldErrors(raw: unknown): Record<string, string> {
  if (!raw || typeof raw !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const first = (Array.isArray(value) ? value : [value]).find((m): m is string => typeof m === 'string' && m.length > 0);
    if (first) out[key] = first;
  }
  return out;
}

/** Schema issues each at their path; else the reason itself at its path. */
function fieldProblems(reason: ErrorReason, details: Record<string, string>): FieldProblem[] {
  const withDetail = (path: string, problem: Problem): FieldProblem => {
    const detail = details[path || '_'];
    return { path, problem: detail ? { ...problem, detail } : problem };
  };
  if (reason.issues?.length) {
    return reason.issues.map((i) => withDetail(i.path.join('.'), { code: i.code, ...(i.params ? { params: i.params } : {}), issue: true }));
  }
  if (reason.path) {
    return [withDetail(reason.path.join('.'), { code: reason.code, ...(reason.params ? { params: reason.params } : {}) })];
  }
  return [];
}

/**
 * Puts each field problem on the form control at that path (Angular's `get` takes dotted paths, like the
 * server's) as the `server` error, which FieldErrorPipe translates in the current language; nz-form-control
 * shows it beside the field. Returns the problems that matched no control, for the form-level alert.
 */
export function applyFieldErrors(form: AbstractControl, fields: readonly FieldProblem[]): FieldProblem[] {
  const leftover: FieldProblem[] = [];
  for (const f of fields) {
    const control = f.path ? form.get(f.path) : null;
    if (control) {
      // Dirty first: nz-form-control decides whether to show the tip when the status changes.
      control.markAsDirty();
      control.markAsTouched();
      control.setErrors({ ...(control.errors ?? {}), server: f.problem });
    } else {
      leftover.push(f);
    }
  }
  return leftover;
}

/**
 * A failed form submission: field problems go beside their fields; the alert keeps the translated summary and
 * the problems no field shows.
 */
export function formError(form: AbstractControl, err: unknown): { error: ApiError; extra: FieldProblem[] } {
  const error = toApiError(err);
  return { error, extra: applyFieldErrors(form, error.fields) };
}

/**
 * Re-runs every validator (which also drops stale server errors, so an unchanged form can be
 * sent again) and marks controls dirty first so nz-form-control shows the tips of invalid ones.
 * True when the form can be sent.
 */
export function checkForm(form: AbstractControl): boolean {
  const visit = (c: AbstractControl) => {
    const children = (c as { controls?: Record<string, AbstractControl> | AbstractControl[] }).controls;
    if (children) Object.values(children).forEach(visit);
    c.markAsDirty();
    c.markAsTouched();
    c.updateValueAndValidity({ onlySelf: true });
  };
  visit(form);
  return form.valid;
}
