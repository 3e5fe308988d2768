import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
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
import { RecordRefusalComponent } from '../core/record-refusal.component';
import { RouteRecord } from '../core/route-record';
import { Names, sizeText } from './names';

type RequestDetail = ApiOutputs['requests']['get'];
type Resource = ApiOutputs['resources']['list']['items'][number];

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
  imports: [DatePipe, RouterLink, NzAlertModule, NzDescriptionsModule, NzProgressModule, NzTableModule, NzTagModule, ErrorAlertComponent, RecordRefusalComponent, TranslatePipe],
  templateUrl: './request-detail.component.html',
  styles: `
    section { margin-top: 24px; }
    .muted { color: var(--gy-muted); }
    .decision { margin-left: 16px; }
  `,
})
export class RequestDetailComponent {
  /** Route parameter (withComponentInputBinding). */
  readonly id = input.required<string>();
  private readonly api = inject(API);
  protected readonly i18n = inject(I18nService);

  protected readonly record = new RouteRecord<RequestDetail>({
    id: this.id,
    read: (id) => this.api.requests.get.query({ id }),
    then: (r) => Promise.all([this.clouds.load(), this.loadCreated(r)]),
    texts: 'requestDetail',
  });
  protected readonly request = this.record.value;
  protected readonly created = signal<Resource[] | null>(null);
  protected readonly createdError = signal<ApiError | null>(null);
  private readonly clouds = new Names(() => this.api.clouds.list.query({}));

  protected readonly shortfalls = computed(() => this.request()?.quotaCheck?.shortfalls ?? []);
  protected readonly percent = computed(() => {
    const w = this.request()?.workflow;
    return w && w.stepsTotal ? Math.round((100 * w.stepsDone) / w.stepsTotal) : 0;
  });

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

  protected cloudName(id: string | null): string {
    return this.clouds.name(id);
  }

  protected eventLabel(kind: string): string {
    return EVENT_KINDS.has(kind) ? this.i18n.t(`requestDetail.event.${kind}`) : kind;
  }

  /** A planned resource's size, from its item. */
  protected itemSize(p: { kind: string; item: unknown }): string {
    return sizeText(p.kind, p.item);
  }
}
