import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, input, signal } from '@angular/core';
import { DatePipe, JsonPipe } from '@angular/common';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzBadgeModule } from 'ng-zorro-antd/badge';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzSwitchModule } from 'ng-zorro-antd/switch';
import { NzTabsModule } from 'ng-zorro-antd/tabs';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { Actions } from '../core/actions';
import type { ApiError } from '../core/api-error';
import type { CloudDetail, InventoryItem, InventoryKind, SyncMode } from '../core/api-types';
import { Loaded } from '../core/loaded';
import { PagedList } from '../core/paged-list';
import { durationText } from '../core/duration';
import { I18nService } from '../core/i18n/i18n.service';
import { SessionStore } from '../core/session';
import { liveRefresh } from '../core/live-refresh';
import { CIRCUIT_COLOR, HEALTH_BADGE, KIND_COLOR, agoText, amount, archLabel, capacityGroups, cloudName } from './cloud-format';
import { FaultsForm, NO_FAULTS, faultsFromForm, formFromFaults } from './cloud-faults';
import { LIST_PAGE_IMPORTS } from '../core/list-page';
import { byId, type TableColumn } from '../core/data-table.component';

const PAGE_SIZE = 50;
/** How often the open page re-reads the cloud's facts. */
const LIVE_MS = 10_000;
/** Roles that may sync clouds and inject faults (the server checks the same). */
const OPERATORS = ['admin', 'cloud-operator'] as const;

@Component({
  selector: 'app-cloud-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LIST_PAGE_IMPORTS, DatePipe, ReactiveFormsModule, JsonPipe, RouterLink, NzAlertModule, NzBadgeModule, NzCheckboxModule, NzDescriptionsModule, NzInputModule, NzProgressModule, NzSelectModule, NzSwitchModule, NzTabsModule, NzTagModule],
  templateUrl: './cloud-detail.component.html',
  styleUrl: './clouds.component.css',
})
export class CloudDetailComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly i18n = inject(I18nService);
  private readonly session = inject(SessionStore);

  /** From the route (`/clouds/:id`). */
  readonly id = input.required<string>();

  protected readonly healthBadge = HEALTH_BADGE;
  protected readonly circuitColor = CIRCUIT_COLOR;
  protected readonly kindColor = KIND_COLOR;
  protected readonly amount = amount;
  protected readonly inventoryColumns: readonly TableColumn[] = [
    'cloud.inv.name', 'cloud.inv.kind', 'cloud.inv.tenant', 'cloud.inv.arch', 'cloud.inv.status',
    'cloud.inv.lastSeen',
  ];
  protected readonly driftColumns: readonly TableColumn[] = [
    'cloud.inv.name', 'cloud.inv.kind', 'cloud.drift.field', 'cloud.drift.expected', 'cloud.drift.observed',
  ];
  protected readonly syncColumns: readonly TableColumn[] = [
    'cloud.sync.startedAt', 'cloud.sync.mode', 'cloud.sync.status', 'cloud.sync.duration', 'cloud.sync.objects',
    'cloud.sync.changes', 'cloud.sync.error',
  ];
  protected readonly healthColumns: readonly TableColumn[] = [
    'cloud.health.at', 'clouds.health', 'cloud.health.latency', 'cloud.health.message',
  ];
  protected readonly byKey = (item: InventoryItem): string => item.key;
  protected readonly byDrift = (line: { key: string; field: string }): string => line.key + line.field;
  protected readonly byId = byId;
  protected readonly inventoryKinds: readonly InventoryKind[] = ['vm', 'workload', 'volume', 'network-segment', 'tenant-space'];

  private readonly record = new Loaded(() => this.api.clouds.get.query({ id: this.id() }), null as CloudDetail | null);
  protected readonly cloud = this.record.value;
  protected readonly loading = this.record.loading;
  /** An operator action's refusal; the page shows it, else the cloud's or the inventory's. */
  private readonly actionError = signal<ApiError | null>(null);
  protected readonly error = computed(() => this.actionError() ?? this.record.error() ?? this.inventoryList.error());
  /** Sync, health check and faults; the cloud is read again after each. */
  protected readonly actions = new Actions({ error: this.actionError, reload: () => this.load() });

  protected readonly canOperate = computed(() => this.session.hasAnyRole(OPERATORS));
  /** Only simulated clouds (in-process or a sim server reached as remote) report faults; others give null. */
  protected readonly simulated = computed(() => (this.cloud()?.faults ?? null) !== null);
  protected readonly name = computed(() => {
    const c = this.cloud();
    return c ? cloudName(c, this.i18n.lang()) : '';
  });
  protected readonly checkedAgo = computed(() => agoText(this.cloud()?.health.checkedAt ?? null, Date.now(), this.i18n));
  protected readonly groups = computed(() =>
    capacityGroups(this.cloud()?.capacity ?? []).map((g) => ({ ...g, label: archLabel(g.arch, g.vendor, this.i18n) })),
  );

  // Inventory tab
  /** The inventory filter: a kind or the deleted switch searches at once, the text on submit. */
  protected readonly invFilter = new FormGroup({
    kind: new FormControl<InventoryKind | null>(null),
    search: new FormControl('', { nonNullable: true }),
    includeDeleted: new FormControl(false, { nonNullable: true }),
  });
  /** The cloud's inventory, paged by the server with the filter above. */
  private readonly inventoryList = new PagedList<InventoryItem>({
    load: (cursor) => {
      const { kind, search: text, includeDeleted } = this.invFilter.getRawValue();
      const search = text.trim();
      return this.api.clouds.inventory.query({
        id: this.id(),
        ...(kind ? { kind } : {}),
        ...(search ? { search } : {}),
        ...(includeDeleted ? { includeDeleted: true } : {}),
        limit: PAGE_SIZE,
        ...(cursor !== undefined ? { cursor } : {}),
      });
    },
    key: (i) => i.key,
  });
  protected readonly inventory = this.inventoryList.items;
  protected readonly invMore = this.inventoryList.hasMore;
  protected readonly invLoading = this.inventoryList.loading;

  // Faults tab
  /** Rates in percent, null for "not set" (an emptied number input gives null). */
  protected readonly faultsForm = new FormGroup({
    down: new FormControl(false, { nonNullable: true }),
    latencyMs: new FormControl<number | null>(null),
    errorRatePercent: new FormControl<number | null>(null),
    throttleRatePercent: new FormControl<number | null>(null),
    garbageRatePercent: new FormControl<number | null>(null),
    failPage: new FormControl<number | null>(null),
  });

  constructor() {
    // Health, circuit, capacity and the last syncs move on their own: the facts are re-read while the page is open.
    liveRefresh(LIVE_MS, () => this.load(true));
    this.invFilter.controls.kind.valueChanges.subscribe(() => void this.searchInventory());
    this.invFilter.controls.includeDeleted.valueChanges.subscribe(() => void this.searchInventory());
  }

  ngOnInit(): void {
    void this.tasks.run(() => Promise.all([this.load(), this.searchInventory()]));
  }

  /** Reads the cloud's facts; `quiet` (the live refresh) keeps the page as it is while reading. */
  /** A quiet read (live refresh) leaves an action's error on screen. */
  async load(quiet = false): Promise<void> {
    if (!quiet) this.actionError.set(null);
    const cloud = await this.record.load({ quiet });
    // The page refreshes live: faults being edited are not overwritten until applied.
    if (cloud && this.faultsForm.pristine) this.faultsForm.reset(formFromFaults(cloud.faults as Record<string, unknown> | null));
  }

  async searchInventory(): Promise<void> {
    await this.inventoryList.reload();
  }

  protected async moreInventory(): Promise<void> {
    await this.inventoryList.more();
  }


  protected async sync(mode: SyncMode): Promise<void> {
    await this.actions.run(`sync-${mode}`, () => this.api.clouds.sync.mutate({ id: this.id(), mode }), { success: 'cloud.sync.started' });
  }

  protected async checkHealth(): Promise<void> {
    await this.actions.run('health', () => this.api.clouds.checkHealth.mutate({ id: this.id() }));
  }

  protected async applyFaults(clear = false): Promise<void> {
    if (clear) this.faultsForm.reset({ ...NO_FAULTS });
    await this.actions.run('faults', async () => {
      await this.api.clouds.setFaults.mutate({ id: this.id(), faults: faultsFromForm(this.faultsForm.getRawValue() satisfies FaultsForm) });
      this.faultsForm.markAsPristine();
    }, { success: 'cloud.faults.applied' });
  }

  protected syncColor(status: string): string {
    return status === 'succeeded' || status === 'ok' ? 'green' : status === 'failed' ? 'red' : 'blue';
  }

  protected duration(from: string | null, to: string | null): string {
    return durationText(from, to, this.i18n);
  }
}
