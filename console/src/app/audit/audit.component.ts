import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { DatePipe, JsonPipe } from '@angular/common';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzBadgeModule } from 'ng-zorro-antd/badge';
import { NzDatePickerModule } from 'ng-zorro-antd/date-picker';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { Actions } from '../core/actions';
import type { ApiError } from '../core/api-error';
import type { AuditRecord, AuditVerifyResult } from '../core/api-types';
import { PagedList } from '../core/paged-list';
import { I18nService } from '../core/i18n/i18n.service';
import { AuditFilter, Outcome, buildFilter, matchesFilter } from './audit-filter';
import { LIST_PAGE_IMPORTS } from '../core/list-page';
import { type TableColumn } from '../core/data-table.component';

const PAGE_SIZE = 50;

@Component({
  selector: 'app-audit',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LIST_PAGE_IMPORTS, DatePipe, ReactiveFormsModule, JsonPipe, NzAlertModule, NzBadgeModule, NzDatePickerModule, NzInputModule, NzSelectModule, NzTagModule],
  templateUrl: './audit.component.html',
})
export class AuditComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly destroyRef = inject(DestroyRef);
  private readonly i18n = inject(I18nService);

  protected readonly columns: readonly TableColumn[] = [
    { title: '', width: '48px' }, 'audit.seq', 'audit.at', 'audit.actor', 'audit.role', 'audit.procedure',
    'audit.target', 'audit.outcome',
  ];
  protected readonly bySeq = (record: AuditRecord): number => record.seq;
  protected readonly outcomes: readonly Outcome[] = ['ok', 'denied', 'error'];

  // Filter form
  /** The filter being edited; `search()` applies it. */
  protected readonly filter = new FormGroup({
    actor: new FormControl('', { nonNullable: true }),
    procedure: new FormControl('', { nonNullable: true }),
    outcome: new FormControl<Outcome | null>(null),
    range: new FormControl<Date[] | null>(null),
  });
  /** The filter the rows on screen were fetched with (live rows are checked against it). */
  private applied: AuditFilter = {};

  /** Pages of records newest first, read with the filter in force. */
  private readonly list = new PagedList<AuditRecord, number>({
    load: (cursor) =>
      this.api.audit.list.query({ ...this.applied, limit: PAGE_SIZE, ...(cursor !== undefined ? { cursor } : {}) }),
    key: (r) => r.seq,
  });
  protected readonly records = this.list.items;
  protected readonly hasMore = this.list.hasMore;
  protected readonly loading = this.list.loading;
  /** A failed page read or a failed verification. */
  private readonly actionError = signal<ApiError | null>(null);
  protected readonly error = computed(() => this.actionError() ?? this.list.error());
  protected readonly expanded = signal<ReadonlySet<number>>(new Set());
  protected readonly live = signal(false);

  /** Verifying the chain; it clears the last verdict as it starts. */
  protected readonly actions = new Actions<'verify'>({ error: this.actionError, clear: () => this.verifyResult.set(null) });
  private readonly verifyResult = signal<AuditVerifyResult | null>(null);
  protected readonly verifyView = computed(() => {
    const r = this.verifyResult();
    if (!r) return null;
    return r.ok
      ? { type: 'success' as const, text: this.i18n.t('audit.verifyOk', { count: r.count }) }
      : {
          type: 'error' as const,
          text: this.i18n.t('audit.verifyBroken', {
            seq: r.brokenAt.seq,
            reason: r.brokenAt.reason,
            count: r.count,
          }),
        };
  });

  ngOnInit(): void {
    void this.tasks.run(() => this.search());
    this.subscribeLive();
  }

  /** Runs the filter from the first page. */
  async search(): Promise<void> {
    this.applied = buildFilter(this.filter.getRawValue());
    this.expanded.set(new Set());
    this.actionError.set(null);
    await this.list.reload();
  }

  protected async loadMore(): Promise<void> {
    await this.list.more();
  }

  protected reset(): void {
    this.filter.reset();
    void this.search();
  }

  protected toggle(seq: number, open: boolean): void {
    this.expanded.update((s) => {
      const next = new Set(s);
      if (open) next.add(seq);
      else next.delete(seq);
      return next;
    });
  }

  protected async verify(): Promise<void> {
    await this.actions.run('verify', async () => this.verifyResult.set(await this.api.audit.verify.mutate()));
  }

  /** The server records a caller's roles comma-joined ("admin,auditor"). */
  protected roleLabels(role: string | null): string {
    if (!role) return this.i18n.t('common.none');
    return role
      .split(',')
      .map((r) => this.i18n.t(`role.${r.trim()}`))
      .join('、');
  }

  protected outcomeColor(outcome: Outcome): string {
    return outcome === 'ok' ? 'green' : outcome === 'denied' ? 'orange' : 'red';
  }

  /** New records arrive over SSE and go on top, if they fit the filter in force. */
  private subscribeLive(): void {
    const sub = this.api.audit.onAppend.subscribe(undefined, {
      onStarted: () => this.live.set(true),
      onData: (record) => {
        this.live.set(true);
        if (matchesFilter(record, this.applied)) this.list.upsert(record);
      },
      onError: () => this.live.set(false),
    });
    this.destroyRef.onDestroy(() => sub.unsubscribe());
  }
}
