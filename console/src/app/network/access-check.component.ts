import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { DatePipe } from '@angular/common';
import { FormControl, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { ActivatedRoute } from '@angular/router';
import type { EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzTimelineModule } from 'ng-zorro-antd/timeline';
import { Actions } from '../core/actions';
import { ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { SystemPickerComponent } from '../core/pickers/system-picker.component';
import { NetworkApiService } from './network-api.service';
import { provideNetworkIcons } from './network-icons';
import { NetworkNavComponent } from './network-nav.component';
import type { AccessResult, Family, Plane, StoredCheck } from './network-types';
import { UnitSearch } from './unit-search';

const HOP_COLOR = { ok: 'green', blocked: 'red', unknown: 'gray' } as const;

/** Can unit X reach system Y over plane P and family F? Inventory path hop by hop, optional live probe, history. */
@Component({
  selector: 'app-network-access-check',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ReactiveFormsModule, NgxEchartsDirective, SystemPickerComponent, NzAlertModule, NzButtonModule, NzCheckboxModule, NzRadioModule, NzSelectModule, NzTableModule, NzTagModule, NzTimelineModule, ErrorAlertComponent, TranslatePipe, NetworkNavComponent],
  providers: [provideNetworkIcons(), provideEchartsCore({ echarts: () => import('./network-echarts').then((m) => m.echarts) })],
  templateUrl: './access-check.component.html',
  styles: `
    .form { display: flex; gap: 12px; flex-wrap: wrap; align-items: center; margin-bottom: 16px; }
    .field { display: inline-flex; gap: 8px; align-items: center; }
    .result { margin: 16px 0; }
    .muted { color: var(--gy-muted); }
    .trend { height: 220px; }
  `,
})
export class AccessCheckComponent implements OnInit {
  private readonly api = inject(NetworkApiService);
  private readonly tasks = inject(PendingTasks);
  private readonly route = inject(ActivatedRoute);
  private readonly i18n = inject(I18nService);

  protected readonly hopColor = HOP_COLOR;

  /** A hop's specifics in the reader's language: the server sends a Chinese sentence beside the English one. */
  protected hopDetail(h: { detail?: string; detailZh?: string }): string | undefined {
    return this.i18n.lang() === 'zh-CN' ? (h.detailZh ?? h.detail) : h.detail;
  }

  /** Why no live probe ran, in the reader's language (the server sends both). */
  protected liveMessage(l: { message: string; messageZh?: string }): string {
    return this.i18n.lang() === 'zh-CN' ? (l.messageZh ?? l.message) : l.message;
  }
  protected readonly planes = signal<Plane[]>([]);
  /** What to check: a unit (searched by name or code), a system (the shared picker), a plane, a family, live or not. */
  protected readonly form = inject(NonNullableFormBuilder).group({
    unitCode: new FormControl<string | null>(null),
    systemId: new FormControl<string | null>(null),
    planeId: new FormControl<string | null>(null),
    family: new FormControl<Family>('ipv6', { nonNullable: true }),
    live: [false],
  });
  private readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  protected readonly complete = computed(() => {
    const v = this.value();
    return !!v.unitCode && !!v.systemId && !!v.planeId;
  });
  protected readonly result = signal<AccessResult | null>(null);
  protected readonly history = signal<StoredCheck[]>([]);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly actions = new Actions<'check'>({ error: this.error });
  protected readonly unitSearch = new UnitSearch(this.error);

  /** The trend of the stored checks: reachable or not over time (both sources), and the live round-trip time. */
  protected readonly trend = computed<EChartsCoreOption>(() => {
    const checks = [...this.history()].reverse();
    const t = (k: string) => this.i18n.t(k);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 32, bottom: 32 },
      xAxis: { type: 'time' },
      yAxis: [{ type: 'value', name: 'ms' }, { type: 'value', min: 0, max: 1, interval: 1, axisLabel: { formatter: (v: number) => (v ? '✓' : '✗') } }],
      series: [
        { name: t('network.trend.rtt'), type: 'line', data: checks.filter((c) => c.source === 'live' && c.rttMs !== null).map((c) => [c.at, c.rttMs]) },
        { name: t('network.trend.reachable'), type: 'line', step: 'end', yAxisIndex: 1, data: checks.map((c) => [c.at, c.ok ? 1 : 0]) },
      ],
    };
  });

  ngOnInit(): void {
    void this.tasks.run(async () => {
      try {
        const planes = await this.api.planes();
        this.planes.set(planes.items);
        this.form.controls.planeId.setValue(planes.items[0]?.id ?? null);
        const unit = this.route.snapshot.queryParamMap.get('unit');
        if (unit) {
          await this.unitSearch.search(unit);
          this.form.controls.unitCode.setValue(unit);
        }
      } catch (err) {
        this.error.set(toApiError(err));
      }
    });
  }


  /** Runs the check (stored on the server with its time) and reloads the unit's history towards that system. */
  protected async runCheck(): Promise<void> {
    const { unitCode, systemId, planeId, family, live } = this.form.getRawValue();
    if (!unitCode || !systemId || !planeId) return;
    await this.actions.run('check', async () => {
      this.result.set(await this.api.check({ unitCode, systemId, planeId, family, live }));
      this.history.set((await this.api.checkHistory(unitCode, systemId)).items);
    });
  }
}
