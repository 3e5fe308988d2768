import { ChangeDetectionStrategy, Component, PendingTasks, computed, effect, inject, input, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { toApiError, type ApiError } from '../core/api-error';
import type { ApiOutputs } from '../core/api-types';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';

type RequestDetail = ApiOutputs['requests']['get'];
type Resource = ApiOutputs['resources']['list']['items'][number];
type Text = { zh: string; en: string };

/** Event kinds the server writes (requests/request-service.ts, provisioning.ts, resources/*): shown by name. */
const EVENT_KINDS = new Set(['submitted', 'step.approved-by', 'step.rejected-by', 'step.started', 'quota.raised', 'approved', 'quota.renewed',
  'rejected', 'cancelled', 'failed', 'cancel-requested', 'cloud.before', 'provisioned', 'expired']);

/**
 * One request: what it asks (resources and quota items), its quota effect, the policy results, the approval chain
 * with who decided what and when, the provisioning workflow (linked) and the resources it created. Reloaded when
 * the user comes back to the tab.
 */
@Component({
  selector: 'app-request-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, NzAlertModule, NzDescriptionsModule, NzProgressModule, NzTableModule, NzTagModule, ErrorAlertComponent, TranslatePipe],
  templateUrl: './request-detail.component.html',
  styles: `
    section { margin-top: 24px; }
    .muted { color: var(--gy-muted); }
    .decision { margin-left: 16px; }
  `,
  host: { '(document:visibilitychange)': 'onVisibility()' },
})
export class RequestDetailComponent {
  /** Route parameter (withComponentInputBinding). */
  readonly id = input.required<string>();
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly i18n = inject(I18nService);

  protected readonly request = signal<RequestDetail | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly created = signal<Resource[] | null>(null);
  protected readonly createdError = signal<ApiError | null>(null);
  private readonly cloudNames = signal<ReadonlyMap<string, Text>>(new Map());

  protected readonly refusal = computed(() => {
    const e = this.error();
    if (!e) return null;
    return e.code === 'FORBIDDEN' ? 'requestDetail.forbidden' : e.code === 'NOT_FOUND' ? 'requestDetail.notFound' : 'requestDetail.loadFailed';
  });
  protected readonly shortfalls = computed(() => this.request()?.quotaCheck?.shortfalls ?? []);
  protected readonly percent = computed(() => {
    const w = this.request()?.workflow;
    return w && w.stepsTotal ? Math.round((100 * w.stepsDone) / w.stepsTotal) : 0;
  });

  constructor() {
    effect(() => {
      const id = this.id();
      void this.tasks.run(() => this.load(id));
    });
  }

  protected onVisibility(): void {
    if (document.visibilityState === 'visible' && this.request()) void this.tasks.run(() => this.load(this.id(), true));
  }

  private async load(id: string, quiet = false): Promise<void> {
    if (!quiet) {
      this.error.set(null);
      this.request.set(null);
    }
    let r: RequestDetail;
    try {
      r = await this.api.requests.get.query({ id });
    } catch (err) {
      this.request.set(null);
      this.error.set(toApiError(err));
      return;
    }
    this.error.set(null);
    this.request.set(r);
    await Promise.all([this.names(), this.loadCreated(r)]);
  }

  /** The resources the request created or changed, as they are now (one page of the system's resources). */
  private async loadCreated(r: RequestDetail): Promise<void> {
    if (!r.resources.length && r.kind !== 'change') {
      this.created.set([]);
      return;
    }
    try {
      const page = await this.api.resources.list.query({ systemId: r.systemId, limit: 500 });
      this.created.set(page.items.filter((x) => x.requestId === r.id || x.changedByRequestId === r.id || x.id === r.change?.resourceId));
      this.createdError.set(null);
    } catch (err) {
      this.createdError.set(toApiError(err));
    }
  }

  private async names(): Promise<void> {
    if (this.cloudNames().size) return;
    try {
      const clouds = await this.api.clouds.list.query({});
      this.cloudNames.set(new Map(clouds.items.map((c) => [c.id, { zh: c.name, en: c.nameEn }])));
    } catch {
      // The ids stay readable.
    }
  }

  protected text(t: Text): string {
    return this.i18n.lang() === 'en' ? t.en : t.zh;
  }

  protected cloudName(id: string | null): string {
    if (!id) return '';
    const n = this.cloudNames().get(id);
    return n ? this.text(n) : id;
  }

  protected eventLabel(kind: string): string {
    return EVENT_KINDS.has(kind) ? this.i18n.t(`requestDetail.event.${kind}`) : kind;
  }

  /** A planned resource's size, from its item. */
  protected itemSize(p: { kind: string; item: unknown }): string {
    const s = (p.item ?? {}) as Record<string, unknown>;
    switch (p.kind) {
      case 'host': return `${String(s['flavour'])} · ${String(s['systemDiskGiB'])} GiB`;
      case 'workload': return `${String(s['size'])} × ${String(s['replicas'])}`;
      case 'volume': return `${String(s['sizeGiB'])} GiB`;
      case 'segment': return `/${String(s['ipv4Length'])}${s['dualStack'] ? ' + /64' : ''}`;
      default: return '';
    }
  }
}
