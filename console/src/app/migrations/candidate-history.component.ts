import { ChangeDetectionStrategy, Component, PendingTasks, effect, inject, input, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { Loaded } from '../core/loaded';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { waveStatusColor } from './migrations-format';
import type { CandidateHistory } from './migrations-types';

/** One system's migration history: every wave that held it, the department's answer and how far each step got. */
@Component({
  selector: 'app-mig-candidate-history',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, NzTagModule, ErrorAlertComponent, TranslatePipe],
  template: `
    <section class="history" [attr.aria-label]="'mig.history' | t">
      @if (history(); as h) {
        <h3>{{ 'mig.history.of' | t: { name: h.systemName } }}</h3>
        @for (item of h.items; track item.waveId) {
          <article class="history-wave" [attr.data-wave]="item.waveId">
            <header>
              <a [routerLink]="['/migrations/waves', item.waveId]">{{ item.planName }} · v{{ item.version }} · {{ 'mig.wave.label' | t: { n: item.windowIndex + 1, week: item.weekStart } }}</a>
              <nz-tag class="wave-status" [nzColor]="statusColor(item.status)">{{ 'mig.wave.status.' + item.status | t }}</nz-tag>
              <small class="confirmation">{{ 'mig.confirmation.' + item.confirmation | t }}</small>
            </header>
            @if (item.steps.length) {
              <ol class="history-steps">
                @for (st of item.steps; track st.step) {
                  <li [attr.data-step]="st.step">{{ i18n.text(st) }}：{{ 'workflows.stepStatus.' + st.status | t }}</li>
                }
              </ol>
            } @else {
              <p class="not-run">{{ 'mig.history.notRun' | t }}</p>
            }
          </article>
        } @empty {
          <p class="no-history">{{ 'mig.history.none' | t }}</p>
        }
      }
      <app-error-alert [error]="error()" />
    </section>
  `,
  styles: `
    .history-wave { border-top: 1px solid #f0f0f0; padding: 8px 0; }
    .history-wave header { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    .history-steps { margin: 4px 0 0; padding-left: 20px; }
  `,
})
export class CandidateHistoryComponent {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  protected readonly i18n = inject(I18nService);

  readonly candidateId = input.required<string>();
  /** Read again for every candidate shown; a failed read shows no history of the last one. */
  private readonly record = new Loaded(() => this.api.migrations.candidates.history.query({ id: this.candidateId() }), null as CandidateHistory | null, { clearOnError: true });
  protected readonly history = this.record.value;
  protected readonly error = this.record.error;
  protected readonly statusColor = waveStatusColor;

  constructor() {
    effect(() => {
      this.candidateId();
      void untracked(() => this.tasks.run(() => this.record.load()));
    });
  }
}
