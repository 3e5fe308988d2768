import { signal } from '@angular/core';
import type { AbstractControl } from '@angular/forms';
import { checkForm, formError, type ApiError, type FieldProblem } from './api-error';

/**
 * What every dialog form shares when it sends: one request at a time, a "saving" flag for the button,
 * and a server refusal spread over the form (messages beside their fields, the rest in the alert).
 */
export class FormSubmission {
  readonly saving = signal(false);
  readonly error = signal<ApiError | null>(null);
  /** Field errors the server named that match no control of the form. */
  readonly extraErrors = signal<FieldProblem[]>([]);

  constructor(readonly form: AbstractControl) {}

  clear(): void {
    this.error.set(null);
    this.extraErrors.set([]);
  }

  /** Checks the form and runs `send`; resolves to its result, or undefined when not sent or refused. */
  async run<T>(send: () => Promise<T>): Promise<T | undefined> {
    if (this.saving() || !checkForm(this.form)) return undefined;
    this.saving.set(true);
    this.clear();
    try {
      return await send();
    } catch (err) {
      const { error, extra } = formError(this.form, err);
      this.error.set(error);
      this.extraErrors.set(extra);
      return undefined;
    } finally {
      this.saving.set(false);
    }
  }
}
