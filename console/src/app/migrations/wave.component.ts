import { ChangeDetectionStrategy, Component, DestroyRef, PendingTasks, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { Actions } from '../core/actions';
import { toApiError, type ApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { SessionStore } from '../core/session';
import { waveStatusColor } from './migrations-format';
import { PLANNER_ROLES, type WaveDetail } from './migrations-types';
import { PrecheckListComponent } from './precheck-list.component';
import { precheckLines } from './prechecks';

const POLL_MS = 3000;

/** One wave (route migrations/waves/:id): its systems with each step live from the run, its prechecks, and the operators' rollback. */
@Component({
  selector: 'app-mig-wave',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink, NzButtonModule, NzInputModule, NzProgressModule, NzTableModule, NzTagModule, ErrorAlertComponent, PrecheckListComponent, TranslatePipe],
  template: `
    <p><a routerLink="/migrations">← {{ 'mig.back' | t }}</a></p>
    <app-error-alert [error]="error()" />
    @if (wave(); as w) {
      <h2>
        {{ 'mig.wave.label' | t: { n: w.windowIndex + 1, week: w.weekStart } }}
        <nz-tag class="wave-status" [nzColor]="statusColor(w.status)">{{ 'mig.wave.status.' + w.status | t }}</nz-tag>
      </h2>
      @if (w.progress.workflow; as wf) {
        <div class="overall">
          <span>{{ 'mig.progress' | t }}</span>
          <nz-progress [nzPercent]="percent(wf.stepsDone, wf.stepsTotal)" [nzStatus]="wf.status === 'failed' ? 'exception' : 'normal'"></nz-progress>
          @if (wf.error) { <p class="workflow-error">{{ wf.error }}</p> }
        </div>
      } @else {
        <p class="not-started">{{ 'mig.notStarted' | t }}</p>
      }
      @if (canOperate() && w.status === 'running') {
        <form class="rollback-form" [formGroup]="rollbackForm" (ngSubmit)="rollback()">
          <label for="mig-rollback-reason">{{ 'mig.rollback.reason' | t }}</label>
          <input nz-input id="mig-rollback-reason" class="rollback-reason" formControlName="reason" maxlength="500" />
          <button nz-button nzDanger type="submit" class="rollback" [disabled]="reasonCtl.invalid" [nzLoading]="actions.busy()">{{ 'mig.rollback' | t }}</button>
        </form>
      }
      <h3>{{ 'mig.steps' | t }}</h3>
      @for (s of w.systems; track s.candidateId) {
        <section class="system" [attr.data-system]="s.candidateId">
          <h4>{{ s.systemName }} <small class="confirmation">{{ 'mig.confirmation.' + s.confirmation | t }}</small></h4>
          @if (s.note) { <p class="note">{{ s.note }}</p> }
          @if (canConfirm() && w.status === 'planned') {
            @let f = noteForm(s.candidateId);
            <form class="confirm-form" [formGroup]="f" (ngSubmit)="answer(s.candidateId, 'move-requested')">
              <button nz-button type="button" nzType="primary" class="confirm" [nzLoading]="actions.busy()" (click)="answer(s.candidateId, 'confirmed')">{{ 'mig.confirm' | t }}</button>
              <label [for]="'mig-note-' + s.candidateId">{{ 'mig.confirm.note' | t }}</label>
              <input nz-input [id]="'mig-note-' + s.candidateId" class="move-note" formControlName="note" maxlength="500" />
              <button nz-button type="submit" class="ask-move" [disabled]="f.invalid" [nzLoading]="actions.busy()">{{ 'mig.confirm.askMove' | t }}</button>
            </form>
          }
          @if (progressOf(s.candidateId); as p) {
            <nz-progress nzSize="small" [nzPercent]="percent(p.done, p.total)"></nz-progress>
            <nz-table #steps class="steps" [nzData]="p.steps" nzSize="small" [nzFrontPagination]="false">
              <thead><tr><th>{{ 'mig.step' | t }}</th><th>{{ 'mig.state' | t }}</th><th>{{ 'mig.attempts' | t }}</th><th>{{ 'mig.error' | t }}</th></tr></thead>
              <tbody>
                @for (st of steps.data; track st.step) {
                  <tr [attr.data-step]="st.step">
                    <td>{{ i18n.text(st) }}</td>
                    <td class="step-status">{{ 'workflows.stepStatus.' + st.status | t }}</td>
                    <td>{{ st.attempts }}</td>
                    <td>{{ st.error ?? '' }}</td>
                  </tr>
                }
              </tbody>
            </nz-table>
          }
        </section>
      }
      @if (prechecks().length) {
        <h3>{{ 'mig.prechecks' | t }}</h3>
        <app-mig-precheck-list [lines]="prechecks()" />
      }
    }
  `,
  styles: `
    .rollback-form { display: flex; gap: 8px; align-items: center; margin: 12px 0; }
    .rollback-reason { max-width: 420px; }
    .system { margin-bottom: 16px; }
    .confirm-form { display: flex; gap: 8px; align-items: center; margin-bottom: 8px; }
    .move-note { max-width: 320px; }
  `,
})
export class WaveComponent {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly session = inject(SessionStore);
  protected readonly i18n = inject(I18nService);

  readonly id = input.required<string>();

  protected readonly wave = signal<WaveDetail | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  /** Rollback and the departments' answers: one at a time (every button spins while one runs). */
  protected readonly actions = new Actions<'rollback' | 'answer'>({ error: this.error });
  protected readonly canOperate = computed(() => this.session.hasAnyRole(PLANNER_ROLES));
  protected readonly prechecks = computed(() => precheckLines(this.wave()?.prechecks));
  protected readonly reasonCtl = new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.minLength(2), Validators.maxLength(500)] });
  protected readonly rollbackForm = new FormGroup({ reason: this.reasonCtl });
  /** Departments confirm their systems' window or ask to move it (a note says which would suit). */
  protected readonly canConfirm = computed(() => this.session.hasAnyRole(['department-admin', 'department-user']));
  private readonly noteForms = new Map<string, FormGroup<{ note: FormControl<string> }>>();

  /** One note form per system, so a note typed for one system is not sent for another. */
  protected noteForm(candidateId: string): FormGroup<{ note: FormControl<string> }> {
    let f = this.noteForms.get(candidateId);
    if (!f) {
      f = new FormGroup({ note: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.minLength(2), Validators.maxLength(500)] }) });
      this.noteForms.set(candidateId, f);
    }
    return f;
  }
  private poll: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => void this.tasks.run(() => this.load(id)));
    });
    inject(DestroyRef).onDestroy(() => this.stopPolling());
  }

  protected readonly statusColor = waveStatusColor;

  protected percent(done: number, total: number): number {
    return total ? Math.round((100 * done) / total) : 0;
  }

  protected progressOf(candidateId: string): WaveDetail['progress']['systems'][number] | undefined {
    return this.wave()?.progress.systems.find((p) => p.candidateId === candidateId);
  }

  protected async rollback(): Promise<void> {
    if (this.reasonCtl.invalid) return;
    await this.actions.run('rollback', async () => {
      await this.api.migrations.waves.rollback.mutate({ id: this.id(), reason: this.reasonCtl.value.trim() });
      this.reasonCtl.reset();
    });
    // Read again whether it went through or not (the error stays).
    await this.load(this.id(), false);
  }

  protected async answer(candidateId: string, answer: 'confirmed' | 'move-requested'): Promise<void> {
    await this.actions.run('answer', async () => {
      const form = this.noteForm(candidateId);
      const note = answer === 'move-requested' ? form.controls.note.value.trim() : null;
      await this.api.migrations.waves.confirm.mutate({ waveId: this.id(), candidateId, answer, note });
      form.reset();
    });
    await this.load(this.id(), false);
  }

  private async load(id: string, clearError = true): Promise<void> {
    this.stopPolling();
    try {
      const w = await this.api.migrations.waves.get.query({ id });
      this.wave.set(w);
      if (clearError) this.error.set(null);
      // A wave under way: read it again for its steps' progress.
      if (w.status === 'running') this.poll = setTimeout(() => void this.load(id, false), POLL_MS);
    } catch (e) {
      this.error.set(toApiError(e));
    }
  }

  private stopPolling(): void {
    if (this.poll) clearTimeout(this.poll);
    this.poll = null;
  }
}
