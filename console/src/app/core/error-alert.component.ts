import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import type { ApiError } from './api-error';
import { TranslatePipe } from './i18n/t.pipe';

const KNOWN_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'TOO_MANY_REQUESTS',
  'INTERNAL_SERVER_ERROR',
  'NETWORK',
];

/**
 * A failed call as an nz-alert: the translated meaning of the code as the title, the server's
 * own message and any field errors that no form field could show as the description.
 */
@Component({
  selector: 'app-error-alert',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzAlertModule, TranslatePipe],
  template: `
    @if (error(); as e) {
      <nz-alert
        class="error-alert"
        nzType="error"
        nzShowIcon
        [nzMessage]="titleKey() | t"
        [nzDescription]="details"
      />
      <ng-template #details>
        @if (e.message) {
          <div class="error-message">{{ e.message }}</div>
        }
        @for (line of extra(); track $index) {
          <div class="error-extra">{{ line }}</div>
        }
      </ng-template>
    }
  `,
  styles: `
    .error-alert {
      margin-bottom: 16px;
    }
  `,
})
export class ErrorAlertComponent {
  readonly error = input<ApiError | null>(null);
  /** Field errors without a matching field. */
  readonly extra = input<readonly string[]>([]);
  /** Replaces the code's generic title where the context says more (e.g. "sign-in failed"). */
  readonly title = input<string | null>(null);

  protected readonly titleKey = computed(() => {
    const title = this.title();
    if (title) return title;
    const code = this.error()?.code ?? '';
    return KNOWN_CODES.includes(code) ? `error.${code}` : 'error.unknown';
  });
}
