import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import type { ApiError, FieldProblem } from './api-error';
import { errorText, fieldProblemText, fieldSummary, type FieldLabels } from './error-text';
import { I18nService } from './i18n/i18n.service';

/**
 * A failed call as an nz-alert, in the user's language (core/error-text.ts): the context's title when the
 * page gives one (e.g. "sign-in failed") with the refusal's text below, else the refusal's text as the title;
 * then the field problems no form field could show. The server's English sentence is never shown.
 *
 * Given the form's field labels (`labels`, by dotted path: FormDialogComponent reads them from its form), a
 * refusal that names fields is summed up by its first field and reason ("名称：至少 2 个字符") rather than the
 * generic "输入的值不被接受", and the problems no field shows are listed under their labels, not their paths.
 */
@Component({
  selector: 'app-error-alert',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzAlertModule],
  template: `
    @if (error()) {
      <nz-alert
        class="error-alert"
        nzType="error"
        nzShowIcon
        role="alert"
        [nzMessage]="head"
        [nzDescription]="lines().length ? details : null"
      />
      <ng-template #head>
        @if (title()) {
          {{ heading() }}
        } @else {
          <span class="error-message">{{ heading() }}</span>
        }
      </ng-template>
      <ng-template #details>
        @for (line of lines(); track $index) {
          <div [class]="$first && title() ? 'error-message' : 'error-extra'">{{ line }}</div>
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
  private readonly i18n = inject(I18nService);

  readonly error = input<ApiError | null>(null);
  /** Field problems without a matching field. */
  readonly extra = input<readonly FieldProblem[]>([]);
  /** A translation key that replaces the refusal's text as the heading where the context says more. */
  readonly title = input<string | null>(null);
  /** The form's field labels by dotted path, in the current language. */
  readonly labels = input<FieldLabels>({});

  /** The refusal's text (reads the language signal, so a switch re-renders). */
  private readonly text = computed(() => {
    const e = this.error();
    this.i18n.lang();
    return e ? (fieldSummary(this.i18n, e, this.labels()) ?? errorText(this.i18n, e)) : '';
  });

  protected readonly heading = computed(() => {
    const title = this.title();
    return title ? this.i18n.t(title) : this.text();
  });

  protected readonly lines = computed(() => {
    this.i18n.lang();
    const labels = this.labels();
    const extra = this.extra().map((f) => fieldProblemText(this.i18n, f, labels));
    return this.title() ? [this.text(), ...extra] : extra;
  });
}
