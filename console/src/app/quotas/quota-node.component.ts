import { ChangeDetectionStrategy, Component, PendingTasks, computed, effect, inject, input, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { Actions } from '../core/actions';
import { ApiError, toApiError } from '../core/api-error';
import { FieldErrorPipe } from '../core/field-error.pipe';
import { Loaded } from '../core/loaded';
import { PagedList } from '../core/paged-list';
import { I18nService } from '../core/i18n/i18n.service';
import { SessionStore } from '../core/session';
import { barStatus, byClass, percentOf, usageChart } from './quota-format';
import type { QuotaExplanation, QuotaLedgerLine, QuotaNodeDetail, QuotaUsageLine } from './quota-types';
import { QuotasApiService } from './quotas-api.service';
import { LIST_PAGE_IMPORTS } from '../core/list-page';
import { byId, type TableColumn } from '../core/data-table.component';

const PAGE = 50;
const REQUESTERS = ['admin', 'cloud-operator', 'department-admin'] as const;
/** Operators set limits directly; department admins ask (the server enforces both). */
const OPERATORS = ['admin', 'cloud-operator'] as const;

/** One quota node: usage per cloud and class with a chart, the ledger of its subtree, explanations, and a change request. */
@Component({
  selector: 'app-quota-node',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LIST_PAGE_IMPORTS, DatePipe, ReactiveFormsModule, FieldErrorPipe, NgxEchartsDirective, NzInputModule, NzInputNumberModule, NzProgressModule, NzTagModule],
  providers: [provideEchartsCore({ echarts: () => import('./quota-echarts').then((m) => m.echarts) })],
  templateUrl: './quota-node.component.html',
  styleUrl: './quotas.component.css',
})
export class QuotaNodeComponent {
  private readonly api = inject(QuotasApiService);
  private readonly tasks = inject(PendingTasks);
  private readonly i18n = inject(I18nService);
  private readonly session = inject(SessionStore);

  readonly nodeId = input.required<string>();

  protected readonly usageColumns: readonly TableColumn[] = [
    'quotas.cloud', 'quotas.class', 'quotas.limit', 'quotas.soft', 'quotas.cap', 'quotas.reserved',
    'quotas.committed', 'quotas.utilisation', '',
  ];
  protected readonly contributionColumns: readonly TableColumn[] = [
    'quotas.explain.reservation', 'quotas.ledger.system', 'quotas.explain.state', 'quotas.reserved',
    'quotas.committed', 'quotas.ledger.ref',
  ];
  protected readonly ledgerColumns: readonly TableColumn[] = [
    'quotas.ledger.at', 'quotas.ledger.system', 'quotas.cloud', 'quotas.class', 'quotas.ledger.kind',
    'quotas.ledger.delta', 'quotas.ledger.actor', 'quotas.ledger.ref',
  ];
  protected readonly byUsage = (line: QuotaUsageLine): string => line.cloudId + line.resourceClass;
  protected readonly byReservation = (line: { reservationId: string }): string => line.reservationId;
  protected readonly byId = byId;
  protected readonly percentOf = percentOf;
  protected readonly barStatus = barStatus;
  private readonly record = new Loaded(() => this.api.node(this.nodeId()), null as QuotaNodeDetail | null);
  /** The ledger of the node's subtree, newest first, paged by the server. */
  private readonly ledgerList = new PagedList<QuotaLedgerLine, number>({
    load: (cursor) => this.api.ledger({ nodeId: this.nodeId(), limit: PAGE, ...(cursor !== undefined ? { cursor } : {}) }),
    key: (l) => l.id,
  });
  protected readonly node = this.record.value;
  protected readonly ledger = this.ledgerList.items;
  protected readonly moreToRead = this.ledgerList.hasMore;
  protected readonly explanation = signal<QuotaExplanation | null>(null);
  protected readonly loading = computed(() => this.record.loading() || this.ledgerList.loading());
  /** A change's or an explanation's refusal, else the node's or the ledger's. */
  private readonly actionError = signal<ApiError | null>(null);
  protected readonly error = computed(() => this.actionError() ?? this.record.error() ?? this.ledgerList.error());

  protected readonly canRequest = computed(() => this.session.hasAnyRole(REQUESTERS));
  protected readonly setsDirectly = computed(() => this.session.hasAnyRole(OPERATORS));
  protected readonly changeFor = signal<QuotaUsageLine | null>(null);
  /** The new limit and why (the server wants at least two characters of reason, as here). */
  protected readonly changeForm = new FormGroup({
    limit: new FormControl<number | null>(null, [Validators.required, Validators.min(0)]),
    reason: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.minLength(2), Validators.maxLength(500)] }),
  });
  /** Sending a change (one at a time); the node is read again after it. */
  protected readonly actions = new Actions<'change'>({ error: this.actionError, reload: () => this.load() });

  protected readonly chart = computed(() =>
    usageChart(byClass(this.node()?.usage ?? []), (c) => this.i18n.t(`quotas.class.${c}`), { used: this.i18n.t('quotas.chart.used'), cap: this.i18n.t('quotas.chart.cap') }),
  );

  constructor() {
    effect(() => {
      this.nodeId();
      void this.tasks.run(() => this.load());
    });
  }

  async load(): Promise<void> {
    this.actionError.set(null);
    this.explanation.set(null);
    await Promise.all([this.record.load(), this.ledgerList.reload()]);
  }

  async moreLedger(): Promise<void> {
    await this.ledgerList.more();
  }

  async explainLine(line: QuotaUsageLine): Promise<void> {
    try {
      this.explanation.set(await this.api.explain(this.nodeId(), line.cloudId, line.resourceClass));
    } catch (err) {
      this.actionError.set(toApiError(err));
    }
  }

  openChange(line: QuotaUsageLine): void {
    this.changeFor.set(line);
    // Opened again, the form starts from this line, not from what was typed last time.
    this.changeForm.reset({ limit: line.limit, reason: '' });
  }

  async submitChange(): Promise<void> {
    const line = this.changeFor();
    this.changeForm.markAllAsTouched();
    const { limit, reason: text } = this.changeForm.getRawValue();
    if (!line || this.changeForm.invalid || limit === null) return;
    const reason = text.trim();
    await this.actions.run('change', async () => {
      const node = this.node()!;
      // Set at once (operators), or asked for: a request answers with the status it was given.
      let created: { status: string } | null = null;
      if (this.setsDirectly()) {
        await this.api.setLimit({ node: { level: node.level, ref: node.ref }, limits: [{ cloudId: line.cloudId, resourceClass: line.resourceClass, limit }], reason });
      } else {
        created = await this.api.requestChange({ nodeId: this.nodeId(), cloudId: line.cloudId, resourceClass: line.resourceClass, limit, reason });
      }
      this.changeFor.set(null);
      return created;
    }, {
      success: (created) => created
        ? { key: 'quotas.change.submitted', params: { status: this.i18n.t(`quotas.change.status.${created.status}`) } }
        : { key: 'quotas.change.saved' },
    });
  }

  protected delta(l: QuotaLedgerLine): string {
    const sign = (n: number) => (n > 0 ? `+${n}` : `${n}`);
    return `${sign(l.reservedDelta)} / ${sign(l.committedDelta)}`;
  }
}
