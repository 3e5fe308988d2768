import { ChangeDetectionStrategy, Component, PendingTasks, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { Actions } from '../core/actions';
import { toApiError, type ApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import type { Wave, WaveStatus } from './migrations-types';
import { PrecheckListComponent } from './precheck-list.component';
import { precheckLines, type PrecheckLine } from './prechecks';

/** The board's columns; a failed wave sits with the rolled-back ones (its steps were undone). */
export const BOARD_COLUMNS: readonly { key: string; statuses: readonly WaveStatus[] }[] = [
  { key: 'planned', statuses: ['planned'] },
  { key: 'prechecked', statuses: ['prechecked'] },
  { key: 'running', statuses: ['running'] },
  { key: 'verified', statuses: ['verified'] },
  { key: 'rolled-back', statuses: ['rolled-back', 'failed'] },
];

export function boardColumns(waves: readonly Wave[]): { key: string; waves: Wave[] }[] {
  return BOARD_COLUMNS.map((c) => ({ key: c.key, waves: waves.filter((w) => c.statuses.includes(w.status)).sort((a, b) => a.windowIndex - b.windowIndex) }));
}

/** A plan's waves as a board; operators precheck (each check shown with its reason) and start them. */
@Component({
  selector: 'app-mig-waves-board',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, NzButtonModule, NzCardModule, NzTagModule, ErrorAlertComponent, PrecheckListComponent, TranslatePipe],
  template: `
    <div class="toolbar"><button nz-button class="refresh" (click)="refresh()">{{ 'mig.refresh' | t }}</button></div>
    <app-error-alert [error]="error()" />
    <div class="board">
      @for (col of columns(); track col.key) {
        <section class="column" [attr.data-column]="col.key">
          <h3>{{ 'mig.wave.status.' + col.key | t }} <small>({{ col.waves.length }})</small></h3>
          @for (w of col.waves; track w.id) {
            <nz-card nzSize="small" class="wave" [attr.data-wave]="w.id">
              <div class="wave-title">
                <a [routerLink]="['/migrations/waves', w.id]">{{ 'mig.wave.label' | t: { n: w.windowIndex + 1, week: w.weekStart } }}</a>
                @if (w.status === 'failed') { <nz-tag nzColor="red">{{ 'mig.wave.status.failed' | t }}</nz-tag> }
              </div>
              <ul class="systems">
                @for (s of w.systems; track s.candidateId) {
                  <li>{{ s.systemName }} <small class="confirmation">{{ 'mig.confirmation.' + s.confirmation | t }}</small></li>
                }
              </ul>
              @if (canOperate()) {
                <div class="actions">
                  @if (w.status === 'planned' || w.status === 'prechecked') {
                    <button nz-button nzSize="small" class="precheck" [nzLoading]="actions.busy(w.id + ':precheck')" (click)="precheck(w)">{{ 'mig.precheck' | t }}</button>
                  }
                  @if (w.status === 'prechecked') {
                    <button nz-button nzSize="small" nzType="primary" class="start" [nzLoading]="actions.busy(w.id + ':start')" (click)="start(w)">{{ 'mig.start' | t }}</button>
                  }
                  @if (w.status === 'running') {
                    <a nz-button nzSize="small" nzDanger class="rollback" [routerLink]="['/migrations/waves', w.id]">{{ 'mig.rollback' | t }}</a>
                  }
                </div>
              }
              @if (prechecksOf(w); as lines) {
                @if (lines.length) {
                  <div class="precheck-result">
                    <nz-tag [nzColor]="passed(lines) ? 'green' : 'red'">{{ (passed(lines) ? 'mig.precheck.passed' : 'mig.precheck.failed') | t }}</nz-tag>
                    <app-mig-precheck-list [lines]="lines" />
                  </div>
                }
              }
            </nz-card>
          } @empty {
            <p class="none">{{ 'mig.wave.none' | t }}</p>
          }
        </section>
      }
    </div>
  `,
  styles: `
    .toolbar { margin-bottom: 12px; }
    .board { display: grid; grid-template-columns: repeat(5, minmax(200px, 1fr)); gap: 12px; overflow-x: auto; }
    .column { background: #f5f5f5; padding: 8px; border-radius: 4px; }
    .wave { margin-bottom: 8px; }
    .systems { padding-left: 16px; margin: 4px 0; }
    .actions { display: flex; gap: 4px; margin-top: 4px; }
    .none { color: rgba(0, 0, 0, 0.65); }
  `,
})
export class WavesBoardComponent {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);

  readonly planId = input.required<string>();
  readonly canOperate = input(false);

  protected readonly waves = signal<Wave[]>([]);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly actions = new Actions({ error: this.error });
  /** The last precheck answer per wave (shown at once, before the list is read again). */
  private readonly answered = signal<Record<string, PrecheckLine[]>>({});
  protected readonly columns = computed(() => boardColumns(this.waves()));

  constructor() {
    effect(() => {
      const id = this.planId();
      untracked(() => void this.tasks.run(() => this.load(id)));
    });
  }

  protected prechecksOf(w: Wave): PrecheckLine[] {
    return this.answered()[w.id] ?? precheckLines(w.prechecks);
  }

  protected passed(lines: readonly PrecheckLine[]): boolean {
    return lines.every((l) => l.verdicts.every((v) => v.ok));
  }

  protected refresh(): void {
    void this.load(this.planId());
  }

  protected async precheck(w: Wave): Promise<void> {
    await this.actions.run(`${w.id}:precheck`, async () => {
      const out = await this.api.migrations.waves.precheck.mutate({ id: w.id });
      this.answered.update((a) => ({ ...a, [w.id]: out.systems }));
    });
    // Read again whether it passed or not: the wave's state may have moved either way (the error stays).
    await this.load(this.planId(), false);
  }

  protected async start(w: Wave): Promise<void> {
    await this.actions.run(`${w.id}:start`, () => this.api.migrations.waves.start.mutate({ id: w.id }));
    await this.load(this.planId(), false);
  }

  private async load(planId: string, clearError = true): Promise<void> {
    try {
      this.waves.set((await this.api.migrations.waves.list.query({ planId })).items);
      if (clearError) this.error.set(null);
    } catch (e) {
      this.error.set(toApiError(e));
    }
  }
}
