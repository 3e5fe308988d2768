import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, input, signal } from '@angular/core';
import { DatePipe, DecimalPipe } from '@angular/common';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import type { EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective, provideEchartsCore } from 'ngx-echarts';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { type ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { FieldErrorPipe } from '../core/field-error.pipe';
import { FormSubmission } from '../core/form-submission';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { SessionStore } from '../core/session';
import { DevicesApiService, type DeviceFacts, type ProbeRecord } from './devices-api.service';

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$/;

/** One cluster, host or device: its facts and inventory, its host key and alarms, probes and their history. */
@Component({
  selector: 'app-device-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, DecimalPipe, ReactiveFormsModule, RouterLink, NgxEchartsDirective, NzAlertModule, NzButtonModule, NzCardModule, NzDescriptionsModule, NzFormModule, NzInputModule, NzInputNumberModule, NzTableModule, NzTagModule, ErrorAlertComponent, FieldErrorPipe, TranslatePipe],
  providers: [provideEchartsCore({ echarts: () => import('./echarts-setup').then((m) => m.echarts) })],
  templateUrl: './device-detail.component.html',
})
export class DeviceDetailComponent implements OnInit {
  private readonly api = inject(DevicesApiService);
  private readonly tasks = inject(PendingTasks);
  private readonly session = inject(SessionStore);

  readonly id = input.required<string>();

  protected readonly facts = signal<DeviceFacts | null>(null);
  protected readonly probes = signal<ProbeRecord[]>([]);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly lastProbe = signal<ProbeRecord | null>(null);

  protected readonly isDevice = computed(() => this.facts()?.providerKind === 'network-device');
  protected readonly canProbe = computed(() => {
    const kind = this.facts()?.providerKind;
    return (kind === 'ssh-host' || kind === 'network-device') && this.session.hasAnyRole(['admin', 'cloud-operator', 'network-engineer']);
  });
  protected readonly addresses = computed(() =>
    (this.facts()?.host?.facts.interfaces ?? []).flatMap((i) => [...i.ipv4, ...i.ipv6].map((a) => `${i.name} ${a.address}/${a.prefixLength}`)),
  );
  protected readonly counts = computed(() => Object.entries(this.facts()?.counts ?? {}).map(([kind, n]) => ({ kind, n })));

  /** The last probes, oldest first: average round trip per probe, coloured by outcome (an error or no reply is a red / orange stub). */
  protected readonly probeChart = computed<EChartsCoreOption>(() => {
    const recent = this.probes().slice(0, 30).reverse();
    const color = { reachable: '#1677ff', unreachable: '#faad14', error: '#cf1322' } as const;
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: recent.map((p) => `${p.target}\n${p.finishedAt.slice(11, 19)}`), axisLabel: { fontSize: 10 } },
      yAxis: { type: 'value', name: 'ms' },
      series: [{
        type: 'bar', barMaxWidth: 24,
        data: recent.map((p) => ({ value: p.rttMs?.avg ?? 0.5, itemStyle: { color: color[p.outcome] } })),
      }],
    };
  });

  protected readonly probeForm = inject(NonNullableFormBuilder).group({
    target: ['', [Validators.required, Validators.pattern(IP)]],
    vpnInstance: ['', Validators.pattern(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,30}$/)],
    count: [3, [Validators.min(1), Validators.max(10)]],
  });
  protected readonly probing = new FormSubmission(this.probeForm);

  protected readonly isAdmin = computed(() => this.session.hasAnyRole(['admin']));
  /** Rotating the sealed credential: the kind of credential follows the cloud's kind. */
  protected readonly credentialForm = inject(NonNullableFormBuilder).group({ secret: ['', Validators.required] });
  protected readonly rotating = new FormSubmission(this.credentialForm);
  protected readonly rotated = signal(false);

  async rotateCredential(): Promise<void> {
    const f = this.facts();
    if (!f) return;
    const secret = this.credentialForm.getRawValue().secret;
    const credential =
      f.providerKind === 'kubernetes'
        ? secret.includes('apiVersion') ? { type: 'kubeconfig' as const, kubeconfig: secret } : { type: 'token' as const, token: secret.trim() }
        : secret.includes('PRIVATE KEY') ? { type: 'key' as const, privateKey: secret } : { type: 'password' as const, password: secret };
    this.rotated.set(false);
    const done = await this.rotating.run(() => this.api.rotateCredential(this.id(), credential));
    this.credentialForm.reset();
    if (done) this.rotated.set(true);
  }

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  async load(): Promise<void> {
    this.error.set(null);
    try {
      const [facts, probes] = await Promise.all([this.api.facts(this.id()), this.api.probes(this.id())]);
      this.facts.set(facts);
      this.probes.set(probes.items);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  async runProbe(): Promise<void> {
    const v = this.probeForm.getRawValue();
    const record = await this.probing.run(() =>
      this.api.runProbe({ cloudId: this.id(), target: v.target.trim(), count: v.count, ...(this.isDevice() && v.vpnInstance ? { vpnInstance: v.vpnInstance } : {}) }),
    );
    if (!record) return;
    this.lastProbe.set(record);
    this.probes.update((list) => [record, ...list.filter((p) => p.id !== record.id)]);
  }

  protected outcomeColor(outcome: ProbeRecord['outcome']): string {
    return outcome === 'reachable' ? 'green' : outcome === 'unreachable' ? 'orange' : 'red';
  }
}
