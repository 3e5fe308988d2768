import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, input, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { Actions } from '../core/actions';
import { toApiError, type ApiError } from '../core/api-error';
import { ErrorTextPipe } from '../core/error-text';
import type { ApiOutputs } from '../core/api-types';
import { FieldComponent } from '../core/field.component';
import { FormDialogComponent } from '../core/form-dialog.component';
import { FormSubmission } from '../core/form-submission';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { SessionStore } from '../core/session';

type Calendar = ApiOutputs['dr']['calendar']['list'];
type Window = Calendar['items'][number];
type Group = ApiOutputs['dr']['protection']['list']['items'][number];
type Plan = ApiOutputs['dr']['plans']['list']['items'][number];

const STATUS_COLORS: Record<string, string> = { scheduled: 'blue', started: 'green', missed: 'red', cancelled: 'default' };

/** `datetime-local` gives local wall-clock text without a zone: read it as local time and send an instant. */
const toInstant = (local: string): string => new Date(local).toISOString();
const localText = (d: Date): string => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

/**
 * The drill calendar (issue 11.7): booked windows with their plan, target centre, owner and what became of
 * them (started run, missed, cancelled, and why a drill is waiting), the systems overdue for a drill with
 * nothing booked, and — for operators — booking and cancelling windows.
 */
@Component({
  selector: 'app-dr-calendar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ReactiveFormsModule, NzAlertModule, NzButtonModule, NzFormModule, NzInputModule, NzSelectModule, NzTableModule, NzTagModule, FieldComponent, FormDialogComponent, ErrorTextPipe, TranslatePipe],
  template: `
    @if (error(); as e) { <nz-alert class="calendar-error" nzType="error" [nzMessage]="e | errorText" nzShowIcon></nz-alert> }
    @if (overdue().length) {
      <nz-alert class="overdue" nzType="warning" nzShowIcon [nzMessage]="'dr.cal.overdue' | t" [nzDescription]="overdueText()"></nz-alert>
    }
    @if (canOperate()) {
      <button nz-button nzType="primary" class="book" (click)="dialogOpen.set(true)">{{ 'dr.cal.book' | t }}</button>
    }
    <nz-table #calTable class="calendar" [nzData]="items()" nzSize="small" [nzFrontPagination]="false" [nzNoResult]="'dr.empty' | t">
      <thead><tr>
        <th>{{ 'dr.cal.window' | t }}</th><th>{{ 'dr.group' | t }}</th><th>{{ 'dr.plans' | t }}</th><th>{{ 'dr.to' | t }}</th>
        <th>{{ 'dr.cal.owner' | t }}</th><th>{{ 'dr.status' | t }}</th><th>{{ 'dr.cal.reason' | t }}</th><th></th>
      </tr></thead>
      <tbody>
        @for (w of calTable.data; track w.id) {
          <tr [attr.data-window]="w.id">
            <td class="window">{{ w.windowStart | date: 'yyyy-MM-dd HH:mm' }} – {{ w.windowEnd | date: 'MM-dd HH:mm' }}</td>
            <td>{{ w.groupName }}</td><td>{{ w.planName }}</td><td>{{ centreName()(w.targetCentre) }}</td><td>{{ w.owner }}</td>
            <td class="status"><nz-tag [nzColor]="color(w.status)">{{ 'dr.cal.status.' + w.status | t }}</nz-tag>
              @if (w.runStatus) { <small class="run">{{ w.runStatus }}</small> }</td>
            <td class="reason">{{ w.reason || (w.reservationId ? ('dr.cal.held' | t) : '—') }}</td>
            <td>@if (canOperate() && w.status === 'scheduled') {
              <button nz-button nzSize="small" nzDanger class="cancel-window" [nzLoading]="actions.busy(w.id)" (click)="cancel(w)">{{ 'dr.cal.cancel' | t }}</button>
            }</td>
          </tr>
        }
      </tbody>
    </nz-table>

    <app-form-dialog [open]="dialogOpen()" [title]="'dr.cal.book' | t" [submission]="submission" [initial]="initial()" (save)="book()" (closed)="dialogOpen.set(false)">
      <ng-container [formGroup]="form">
        <app-field label="dr.group" for="cal-group" required labelSpan="6" span="17">
          <nz-select nzId="cal-group" formControlName="groupId" class="group-select">
            @for (g of groups(); track g.id) { <nz-option [nzValue]="g.id" [nzLabel]="g.name"></nz-option> }
          </nz-select>
        </app-field>
        <app-field label="dr.plans" for="cal-plan" required labelSpan="6" span="17">
          <nz-select nzId="cal-plan" formControlName="planId" class="plan-select">
            @for (p of plansOfGroup(); track p.id) { <nz-option [nzValue]="p.id" [nzLabel]="p.name + ' v' + p.latestVersion"></nz-option> }
          </nz-select>
        </app-field>
        <app-field label="dr.cal.start" for="cal-start" required labelSpan="6" span="17">
          <input nz-input id="cal-start" type="datetime-local" formControlName="windowStart" />
        </app-field>
        <app-field label="dr.cal.end" for="cal-end" required labelSpan="6" span="17">
          <input nz-input id="cal-end" type="datetime-local" formControlName="windowEnd" />
        </app-field>
        <app-field label="dr.cal.note" for="cal-note" labelSpan="6" span="17">
          <input nz-input id="cal-note" formControlName="note" maxlength="1000" />
        </app-field>
      </ng-container>
    </app-form-dialog>
  `,
})
export class DrCalendarComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly session = inject(SessionStore);

  readonly groups = input.required<Group[]>();
  readonly plans = input.required<Plan[]>();
  /** Centre id → its name in the current language (the parent knows the centres). */
  readonly centreName = input<(id: string) => string>((id) => id);

  protected readonly items = signal<Window[]>([]);
  protected readonly overdue = signal<Calendar['overdue']>([]);
  protected readonly error = signal<ApiError | null>(null);
  /** Cancelling a window; the calendar is read again after it. */
  protected readonly actions = new Actions({ error: this.error, reload: () => this.load() });
  protected readonly dialogOpen = signal(false);
  protected readonly canOperate = computed(() => this.session.hasAnyRole(['admin', 'cloud-operator']));
  protected readonly overdueText = computed(() => this.overdue().map((o) => `${o.name}（${o.departmentName}，${o.drLevel}）`).join('、'));

  protected readonly form = inject(NonNullableFormBuilder).group({
    groupId: ['', Validators.required],
    planId: ['', Validators.required],
    windowStart: ['', Validators.required],
    windowEnd: ['', Validators.required],
    note: [''],
  });
  protected readonly submission = new FormSubmission(this.form);
  private readonly chosenGroup = signal('');
  protected readonly plansOfGroup = computed(() => this.plans().filter((p) => p.groupId === this.chosenGroup()));
  /** Tomorrow 02:00–06:00 local time: the usual night window. */
  protected readonly initial = computed(() => {
    const start = new Date();
    start.setDate(start.getDate() + 1);
    start.setHours(2, 0, 0, 0);
    const end = new Date(start.getTime() + 4 * 3_600_000);
    return { groupId: this.groups()[0]?.id ?? '', planId: '', windowStart: localText(start), windowEnd: localText(end), note: '' };
  });

  constructor() {
    this.form.controls.groupId.valueChanges.subscribe((g) => {
      this.chosenGroup.set(g);
      const first = this.plans().find((p) => p.groupId === g);
      this.form.controls.planId.setValue(first?.id ?? '');
    });
  }

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  protected color(status: string): string {
    return STATUS_COLORS[status] ?? 'default';
  }

  protected async book(): Promise<void> {
    const booked = await this.submission.run(() => {
      const v = this.form.getRawValue();
      return this.api.dr.calendar.schedule.mutate({
        groupId: v.groupId, planId: v.planId, windowStart: toInstant(v.windowStart), windowEnd: toInstant(v.windowEnd),
        ...(v.note.trim() ? { note: v.note.trim() } : {}),
      });
    });
    if (!booked) return;
    this.dialogOpen.set(false);
    await this.load();
  }

  protected async cancel(w: Window): Promise<void> {
    await this.actions.run(w.id, () => this.api.dr.calendar.cancel.mutate({ id: w.id }));
  }

  private async load(): Promise<void> {
    try {
      const c = await this.api.dr.calendar.list.query({ limit: 200 });
      this.items.set(c.items);
      this.overdue.set(c.overdue);
    } catch (e) {
      this.error.set(toApiError(e));
    }
  }
}
