import { inject, signal, type WritableSignal } from '@angular/core';
import { NzMessageService } from 'ng-zorro-antd/message';
import { toApiError, type ApiError } from './api-error';
import { I18nService, type TranslateParams } from './i18n/i18n.service';

/** A success message: a translation key and its parameters. */
export interface ActionMessage {
  key: string;
  params?: TranslateParams;
}

export interface ActionsOptions {
  /** Where a refusal goes (the page's error alert, shared with its reads); by default this helper's own `error`. */
  error?: WritableSignal<ApiError | null>;
  /** Re-reads the page after an action succeeded; the action stays busy while it reads. */
  reload?: () => Promise<unknown>;
  /** What else an action clears as it starts (the last action's notice or result), besides the error. */
  clear?: () => void;
}

export interface RunOptions<T> {
  /** Said with NzMessageService when the call succeeded: a translation key, or one built from the answer. */
  success?: string | ((result: T) => ActionMessage);
}

/**
 * The one way a page runs an operator's action (a button that calls a mutation): the action is busy while it
 * runs (its button spins: `[nzLoading]="actions.busy('approve')"`), the error alert is cleared as it starts,
 * a success message is said, the page is re-read, and a refusal is shown as the page's error (translated where
 * it is shown, core/error-text.ts). An action whose key is already running is not started again (a second
 * click); actions under other keys run side by side. A page whose actions should run one at a time gives them
 * one key. Create it in a field initializer or the constructor (it injects the message service).
 */
export class Actions<K extends string = string> {
  private readonly message = inject(NzMessageService);
  private readonly i18n = inject(I18nService);
  private readonly running = signal<ReadonlySet<K>>(new Set());
  readonly error: WritableSignal<ApiError | null>;

  constructor(private readonly options: ActionsOptions = {}) {
    this.error = options.error ?? signal<ApiError | null>(null);
  }

  /** Whether the action under `key` runs now; without a key, whether any does. */
  busy(key?: K): boolean {
    const running = this.running();
    return key === undefined ? running.size > 0 : running.has(key);
  }

  /**
   * Runs `call` as the action `key`; resolves to true when it succeeded (and the page was re-read), false when
   * it was refused or not started because the same action was still running. Never rejects.
   */
  async run<T>(key: K, call: () => Promise<T>, options: RunOptions<T> = {}): Promise<boolean> {
    if (this.running().has(key)) return false;
    this.running.update((keys) => new Set(keys).add(key));
    this.error.set(null);
    this.options.clear?.();
    try {
      const result = await call();
      const success = typeof options.success === 'function' ? options.success(result) : options.success ? { key: options.success } : null;
      if (success) this.message.success(this.i18n.t(success.key, success.params));
      await this.options.reload?.();
      return true;
    } catch (err) {
      this.error.set(toApiError(err));
      return false;
    } finally {
      this.running.update((keys) => {
        const left = new Set(keys);
        left.delete(key);
        return left;
      });
    }
  }
}
