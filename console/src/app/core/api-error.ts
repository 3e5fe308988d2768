import type { AbstractControl } from '@angular/forms';

/** What the console needs from any failed call, whatever threw it. */
export interface ApiError {
  /** tRPC error code (BAD_REQUEST, UNAUTHORIZED, …) or NETWORK when no answer came back. */
  code: string;
  message: string;
  /** Messages per dotted input path, e.g. { creditCode: ['校验位不正确'] }. */
  fieldErrors: Record<string, string[]>;
}

/**
 * Reads the server's error shape (`error.data.code`, `error.data.fieldErrors`) without
 * depending on TRPCClientError's generics, so fakes in specs can throw plain objects too.
 */
export function toApiError(err: unknown): ApiError {
  const e = (err ?? {}) as { message?: unknown; data?: unknown };
  const data = (e.data ?? {}) as { code?: unknown; fieldErrors?: unknown };
  const code = typeof data.code === 'string' ? data.code : 'NETWORK';
  const message = typeof e.message === 'string' ? e.message : String(err);
  return { code, message, fieldErrors: cleanFieldErrors(data.fieldErrors) };
}

function cleanFieldErrors(raw: unknown): Record<string, string[]> {
  if (!raw || typeof raw !== 'object') return {};
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    const messages = (Array.isArray(value) ? value : [value]).filter(
      (m): m is string => typeof m === 'string' && m.length > 0,
    );
    if (messages.length) out[key] = messages;
  }
  return out;
}

/**
 * Puts each field error on the form control at that path (Angular's `get` takes dotted
 * paths, like the server's keys) so nz-form-control shows it beside the field.
 * Returns the messages that matched no control, for the form-level alert.
 */
export function applyFieldErrors(form: AbstractControl, fieldErrors: Record<string, string[]>): string[] {
  const leftover: string[] = [];
  for (const [path, messages] of Object.entries(fieldErrors)) {
    // '_' is the server's key for an error about the input as a whole.
    const field = path === '_' ? '' : path;
    const control = field ? form.get(field) : null;
    if (control) {
      // Dirty first: nz-form-control decides whether to show the tip when the status changes.
      control.markAsDirty();
      control.markAsTouched();
      control.setErrors({ ...(control.errors ?? {}), server: messages.join('；') });
    } else {
      leftover.push(...messages.map((m) => (field ? `${field}: ${m}` : m)));
    }
  }
  return leftover;
}

/**
 * A failed form submission: field errors go beside their fields; the alert keeps the code's
 * title and only what no field shows. The message itself is dropped when there are field
 * errors, because it restates them (for schema errors it is the raw list of issues).
 */
export function formError(form: AbstractControl, err: unknown): { error: ApiError; extra: string[] } {
  const error = toApiError(err);
  if (Object.keys(error.fieldErrors).length === 0) return { error, extra: [] };
  const extra = applyFieldErrors(form, error.fieldErrors);
  return { error: { ...error, message: '' }, extra };
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
