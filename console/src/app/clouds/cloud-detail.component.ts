import {
  ChangeDetectionStrategy,
  Component,
  OnInit,
  PendingTasks,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { DatePipe, JsonPipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzBadgeModule } from 'ng-zorro-antd/badge';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzMessageService } from 'ng-zorro-antd/message';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzSwitchModule } from 'ng-zorro-antd/switch';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTabsModule } from 'ng-zorro-antd/tabs';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { ApiError, toApiError } from '../core/api-error';
import type { CloudDetail, InventoryItem, InventoryKind, SyncMode } from '../core/api-types';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { SessionStore } from '../core/session';
import { CloudsApiService } from './clouds-api.service';
import { HEALTH_BADGE, agoText, amount, archLabel, capacityGroups, cloudName } from './cloud-format';
import { FaultsForm, NO_FAULTS, faultsFromForm, formFromFaults } from './cloud-faults';

const PAGE_SIZE = 50;
/** Roles that may sync clouds and inject faults (the server checks the same). */
const OPERATORS = ['admin', 'cloud-operator'] as const;

@Component({
  selector: 'app-cloud-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    FormsModule,
    JsonPipe,
    RouterLink,
    NzAlertModule,
    NzBadgeModule,
    NzButtonModule,
    NzCheckboxModule,
    NzDescriptionsModule,
    NzIconModule,
    NzInputModule,
    NzProgressModule,
    NzSelectModule,
    NzSwitchModule,
    NzTableModule,
    NzTabsModule,
    NzTagModule,
    ErrorAlertComponent,
    TranslatePipe,
  ],
  templateUrl: './cloud-detail.component.html',
  styleUrl: './clouds.component.css',
})
export class CloudDetailComponent implements OnInit {
  private readonly api = inject(CloudsApiService);
  private readonly tasks = inject(PendingTasks);
  private readonly i18n = inject(I18nService);
  private readonly message = inject(NzMessageService);
  private readonly session = inject(SessionStore);

  /** From the route (`/clouds/:id`). */
  readonly id = input.required<string>();

  protected readonly healthBadge = HEALTH_BADGE;
  protected readonly amount = amount;
  protected readonly inventoryKinds: readonly InventoryKind[] = ['vm', 'workload', 'volume', 'network-segment', 'tenant-space'];

  protected readonly cloud = signal<CloudDetail | null>(null);
  protected readonly loading = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly busy = signal<string | null>(null);

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
  protected readonly invKind = signal<InventoryKind | null>(null);
  protected readonly invSearch = signal('');
  protected readonly invDeleted = signal(false);
  protected readonly inventory = signal<InventoryItem[]>([]);
  protected readonly invCursor = signal<string | null>(null);
  protected readonly invLoading = signal(false);

  // Faults tab
  protected readonly faults = signal<FaultsForm>({ ...NO_FAULTS });

  ngOnInit(): void {
    void this.tasks.run(() => Promise.all([this.load(), this.searchInventory()]));
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const cloud = await this.api.get(this.id());
      this.cloud.set(cloud);
      this.faults.set(formFromFaults(cloud.faults as Record<string, unknown> | null));
    } catch (err) {
      this.error.set(toApiError(err));
    } finally {
      this.loading.set(false);
    }
  }

  async searchInventory(): Promise<void> {
    this.inventory.set([]);
    await this.fetchInventory(undefined);
  }

  protected async moreInventory(): Promise<void> {
    const cursor = this.invCursor();
    if (cursor !== null) await this.fetchInventory(cursor);
  }

  protected filterInventoryKind(kind: InventoryKind | null): void {
    this.invKind.set(kind);
    void this.searchInventory();
  }

  protected toggleDeleted(on: boolean): void {
    this.invDeleted.set(on);
    void this.searchInventory();
  }

  protected async sync(mode: SyncMode): Promise<void> {
    await this.act(`sync-${mode}`, async () => {
      await this.api.sync(this.id(), mode);
      this.message.success(this.i18n.t('cloud.sync.started'));
    });
  }

  protected async checkHealth(): Promise<void> {
    await this.act('health', () => this.api.checkHealth(this.id()));
  }

  protected setFault<K extends keyof FaultsForm>(key: K, value: FaultsForm[K]): void {
    this.faults.update((f) => ({ ...f, [key]: value }));
  }

  /** Number inputs give '' when emptied; the form keeps null for "not set". */
  protected setFaultNumber(
    key: 'latencyMs' | 'errorRatePercent' | 'throttleRatePercent' | 'garbageRatePercent' | 'failPage',
    raw: unknown,
  ): void {
    const n = raw === '' || raw === null || raw === undefined ? null : Number(raw);
    this.setFault(key, n !== null && Number.isFinite(n) ? n : null);
  }

  protected async applyFaults(clear = false): Promise<void> {
    if (clear) this.faults.set({ ...NO_FAULTS });
    await this.act('faults', async () => {
      await this.api.setFaults(this.id(), faultsFromForm(this.faults()));
      this.message.success(this.i18n.t('cloud.faults.applied'));
    });
  }

  protected circuitColor(state: CloudDetail['circuit']): string {
    return state === 'closed' ? 'green' : state === 'open' ? 'red' : 'orange';
  }

  protected syncColor(status: string): string {
    return status === 'succeeded' || status === 'ok' ? 'green' : status === 'failed' ? 'red' : 'blue';
  }

  protected duration(from: string | null, to: string | null): string {
    if (!from || !to) return this.i18n.t('common.none');
    const ms = Date.parse(to) - Date.parse(from);
    return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
  }

  /** Runs an operator action, then reloads the cloud so its facts show the result. */
  private async act(name: string, fn: () => Promise<unknown>): Promise<void> {
    this.busy.set(name);
    this.error.set(null);
    try {
      await fn();
      await this.load();
    } catch (err) {
      this.error.set(toApiError(err));
    } finally {
      this.busy.set(null);
    }
  }

  private async fetchInventory(cursor: string | undefined): Promise<void> {
    this.invLoading.set(true);
    try {
      const kind = this.invKind();
      const search = this.invSearch().trim();
      const page = await this.api.inventory({
        id: this.id(),
        ...(kind ? { kind } : {}),
        ...(search ? { search } : {}),
        ...(this.invDeleted() ? { includeDeleted: true } : {}),
        limit: PAGE_SIZE,
        ...(cursor !== undefined ? { cursor } : {}),
      });
      this.inventory.update((rows) => [...rows, ...page.items.filter((i) => !rows.some((r) => r.key === i.key))]);
      this.invCursor.set(page.nextCursor);
    } catch (err) {
      this.error.set(toApiError(err));
    } finally {
      this.invLoading.set(false);
    }
  }
}
