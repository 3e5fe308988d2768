import { DestroyRef, inject } from '@angular/core';

/**
 * Re-reads a view's data every `ms` while the view exists (call it in a constructor: it needs the injection
 * context). A tick is skipped while the browser tab is hidden, and while the previous read is still running,
 * so a slow server is never asked twice at once by the same page.
 */
export function liveRefresh(ms: number, read: () => Promise<unknown>): void {
  let running = false;
  const timer = setInterval(() => {
    if (running || (typeof document !== 'undefined' && document.visibilityState === 'hidden')) return;
    running = true;
    void read().finally(() => (running = false));
  }, ms);
  inject(DestroyRef).onDestroy(() => clearInterval(timer));
}
