/** At most `limit` commands at a time per target; the others wait in order, or leave when their caller aborts. */
import type { ProviderError } from '../errors.ts';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

export class Limiter {
  private active = 0;
  private readonly waiters: Waiter[] = [];
  constructor(private readonly limit: number) {}

  async acquire(signal: AbortSignal | undefined, onAbort: () => ProviderError): Promise<() => void> {
    if (signal?.aborted === true) throw onAbort();
    if (this.active < this.limit) {
      this.active++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', abort);
          resolve();
        },
        reject,
      };
      const abort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(onAbort());
      };
      signal?.addEventListener('abort', abort, { once: true });
      this.waiters.push(waiter);
    });
    return this.releaser(); // the slot was handed over by release(): active stays counted
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next.resolve();
      else this.active--;
    };
  }

  rejectAll(e: unknown): void {
    for (const w of this.waiters.splice(0)) w.reject(e);
  }
}
