import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormControl, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { Actions } from '../core/actions';
import type { ApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { PagedList } from '../core/paged-list';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { SessionStore } from '../core/session';
import type { QuotaChange } from './quota-types';
import { QuotasApiService } from './quotas-api.service';

const DECIDERS = ['admin', 'cloud-operator'] as const;

/** Quota-change requests: who asked for what, their state; operators approve or reject others' pending requests with a note. */
@Component({
  selector: 'app-quota-changes',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ReactiveFormsModule, NzButtonModule, NzInputModule, NzTableModule, NzTagModule, ErrorAlertComponent, TranslatePipe],
  template: `
    <app-error-alert [error]="error()" />
    <p class="hint">{{ 'quotas.change.hint' | t }}</p>
    <nz-table class="changes-table" nzSize="small" [nzData]="items()" [nzFrontPagination]="false" [nzShowPagination]="false">
      <thead>
        <tr>
          <th>{{ 'quotas.change.node' | t }}</th>
          <th>{{ 'quotas.cloud' | t }}</th>
          <th>{{ 'quotas.class' | t }}</th>
          <th>{{ 'quotas.change.from' | t }}</th>
          <th>{{ 'quotas.change.to' | t }}</th>
          <th>{{ 'quotas.change.reason' | t }}</th>
          <th>{{ 'quotas.change.by' | t }}</th>
          <th>{{ 'quotas.explain.state' | t }}</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        @for (c of items(); track c.id) {
          <tr [attr.data-change]="c.id">
            <td>{{ c.nodeName }}</td>
            <td>{{ c.cloudId }}</td>
            <td>{{ 'quotas.class.' + c.resourceClass | t }}</td>
            <td>{{ c.currentLimit ?? '—' }}</td>
            <td>{{ c.requestedLimit }}</td>
            <td>{{ c.reason }}</td>
            <td>{{ c.requestedByName }} · {{ c.createdAt | date: 'MM-dd HH:mm' }}</td>
            <td><nz-tag class="status">{{ 'quotas.change.status.' + c.status | t }}</nz-tag>
              @if (c.decidedByName) { <span class="decided">{{ c.decidedByName }}: {{ c.decisionReason }}</span> }</td>
            <td>
              @if (canDecide(c)) {
                <input nz-input class="decision-reason" [placeholder]="'quotas.change.decisionReason' | t" [attr.aria-label]="'quotas.change.decisionReason' | t" [formControl]="note(c.id)" />
                <button nz-button nzType="link" class="approve" [disabled]="actions.busy()" (click)="decide(c, 'approve')">{{ 'quotas.change.approve' | t }}</button>
                <button nz-button nzType="link" nzDanger class="reject" [disabled]="actions.busy()" (click)="decide(c, 'reject')">{{ 'quotas.change.reject' | t }}</button>
              }
            </td>
          </tr>
        }
      </tbody>
    </nz-table>
    @if (list.hasMore()) {
      <button nz-button nzType="link" class="more-changes" (click)="list.more()">{{ 'common.loadMore' | t }}</button>
    }
  `,
  styleUrl: './quotas.component.css',
})
export class QuotaChangesComponent implements OnInit {
  private readonly api = inject(QuotasApiService);
  private readonly tasks = inject(PendingTasks);
  private readonly session = inject(SessionStore);

  private readonly fb = inject(NonNullableFormBuilder);
  /** Decision notes typed in the table, by change id (a control per row, added when the row is read). */
  protected readonly notes = this.fb.record<string>({});
  /** The change requests, newest first, a page at a time; each row read gets its note field. */
  protected readonly list = new PagedList<QuotaChange>({
    load: async (cursor) => {
      const page = await this.api.changes(undefined, cursor);
      this.addNotes(page.items);
      return page;
    },
    key: (c) => c.id,
  });
  protected readonly items = this.list.items;
  private readonly actionError = signal<ApiError | null>(null);
  protected readonly error = computed(() => this.actionError() ?? this.list.error());
  /** Deciding a change; every decision button is disabled while one is sent, and the list is read again after. */
  protected readonly actions = new Actions({ error: this.actionError, reload: () => this.list.refresh() });
  private readonly decider = computed(() => this.session.hasAnyRole(DECIDERS));

  ngOnInit(): void {
    void this.tasks.run(() => this.list.reload());
  }

  /** Pending, someone else's, and the caller may decide (the server checks all three again). */
  protected canDecide(c: QuotaChange): boolean {
    return this.decider() && c.status === 'pending' && c.requestedBy !== this.session.user()?.id;
  }

  private addNotes(changes: readonly QuotaChange[]): void {
    for (const c of changes) if (!this.notes.contains(c.id)) this.notes.addControl(c.id, this.fb.control(''));
  }

  /** The row's note field. */
  protected note(id: string): FormControl<string> {
    return this.notes.controls[id]!;
  }

  async decide(c: QuotaChange, decision: 'approve' | 'reject'): Promise<void> {
    await this.actions.run(c.id, () => this.api.decideChange(c.id, decision, this.notes.value[c.id] ?? ''));
  }
}
