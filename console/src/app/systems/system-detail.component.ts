import { ChangeDetectionStrategy, Component, computed, inject, input, signal, type WritableSignal } from '@angular/core';
import { DatePipe, DecimalPipe, PercentPipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { toApiError, type ApiError } from '../core/api-error';
import type { ApiOutputs, AuditRecord, Role } from '../core/api-types';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { RecordRefusalComponent } from '../core/record-refusal.component';
import { RouteRecord } from '../core/route-record';
import { SessionStore } from '../core/session';
import { ChangeDialogComponent, type ChangeAction, type Resource } from '../resources/change-dialog.component';
import { Names, sizeText } from './names';

type SystemDetail = ApiOutputs['systems']['get'];
type Candidate = ApiOutputs['onboarding']['preview']['candidates'][number];
type PolicyResult = ApiOutputs['onboarding']['preview']['admission'][number];
type QuotaNode = NonNullable<ApiOutputs['quotas']['systemNode']>;
type RequestSummary = ApiOutputs['requests']['list']['items'][number];
type Readiness = ApiOutputs['dr']['protection']['readiness']['items'][number];

/** One section's answer: its data, or the error that kept it from loading (the rest of the page still shows). */
interface Section<T> {
  data: T | null;
  error: ApiError | null;
}
const empty = <T>(): Section<T> => ({ data: null, error: null });

/** Who may read what (the server enforces it; the page does not offer what would be refused). */
const DR_READERS: readonly Role[] = ['admin', 'cloud-operator', 'auditor', 'department-admin', 'department-user'];
const AUDIT_READERS: readonly Role[] = ['admin', 'auditor'];
const REQUESTERS: readonly Role[] = ['admin', 'department-admin', 'department-user'];
const CHECKERS: readonly Role[] = ['admin', 'network-engineer', 'cloud-operator', 'department-admin', 'department-user'];

/**
 * A business system in one place: its facts, where it runs and the rules that decided it, its resources with their
 * addresses (resize and release from here), its quota and usage, its requests, its extranet addresses, its DR
 * protection and readiness and, for auditors, its audit trail. Names, not ids (ids on hover). Reloaded when the
 * user comes back to the tab.
 */
@Component({
  selector: 'app-system-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, DecimalPipe, PercentPipe, RouterLink, NzAlertModule, NzButtonModule, NzDescriptionsModule, NzTableModule, NzTagModule, ErrorAlertComponent, RecordRefusalComponent, TranslatePipe, ChangeDialogComponent],
  templateUrl: './system-detail.component.html',
  styles: `
    section { margin-top: 24px; }
    .muted { color: var(--gy-muted); }
    .reasons div { margin: 2px 0; }
  `,
})
export class SystemDetailComponent {
  /** Route parameter (withComponentInputBinding). */
  readonly id = input.required<string>();
  private readonly api = inject(API);
  private readonly session = inject(SessionStore);
  protected readonly i18n = inject(I18nService);

  protected readonly record = new RouteRecord<SystemDetail>({
    id: this.id,
    read: (id) => this.api.systems.get.query({ id }),
    then: (_, id) => this.sections(id),
    texts: 'systemDetail',
  });
  protected readonly system = this.record.value;
  protected readonly resources = signal<Section<Resource[]>>(empty());
  protected readonly quota = signal<Section<QuotaNode | null>>(empty());
  protected readonly requests = signal<Section<RequestSummary[]>>(empty());
  protected readonly addresses = signal<Section<{ plane: string; address: string }[]>>(empty());
  protected readonly readiness = signal<Section<Readiness | null>>(empty());
  protected readonly audit = signal<Section<AuditRecord[]>>(empty());
  private readonly clouds = new Names(() => this.api.clouds.list.query({}));
  private readonly planes = new Names(() => this.api.extranet.planes.query({}));

  protected readonly canReadDr = computed(() => this.session.hasAnyRole(DR_READERS));
  protected readonly canReadAudit = computed(() => this.session.hasAnyRole(AUDIT_READERS));
  protected readonly canChange = computed(() => this.session.hasAnyRole(REQUESTERS));
  protected readonly canCheckAccess = computed(() => this.session.hasAnyRole(CHECKERS));

  /** The resource a resize or release dialog is open for. */
  protected readonly changing = signal<Resource | null>(null);
  protected readonly dialog = signal<ChangeAction | null>(null);
  protected readonly notice = signal<string | null>(null);

  protected readonly candidates = computed<Candidate[]>(() => {
    const p = this.system()?.placement as { candidates?: Candidate[] } | null | undefined;
    return Array.isArray(p?.candidates) ? p.candidates : [];
  });
  protected readonly admission = computed<PolicyResult[]>(() => {
    const r = this.system()?.policyResults;
    return Array.isArray(r) ? (r as PolicyResult[]) : [];
  });

  /** The sections beside the system, each on its own (one failing leaves the others showing). */
  private async sections(id: string): Promise<void> {
    await Promise.all([
      this.clouds.load(),
      this.planes.load(),
      this.section(this.resources, async () => (await this.api.resources.list.query({ systemId: id, limit: 200 })).items),
      this.section(this.quota, () => this.api.quotas.systemNode.query({ systemId: id })),
      this.section(this.requests, async () => (await this.api.requests.list.query({ systemId: id, limit: 50 })).items),
      this.section(this.addresses, async () => extranetAddresses(await this.api.onboarding.status.query({ systemId: id }))),
      this.canReadDr() ? this.section(this.readiness, async () => (await this.api.dr.protection.readiness.query({ systemIds: [id] })).items[0] ?? null) : Promise.resolve(),
      this.canReadAudit() ? this.section(this.audit, async () => (await this.api.audit.list.query({ target: `system:${id}`, limit: 50 })).items) : Promise.resolve(),
    ]);
  }

  private async section<T>(target: WritableSignal<Section<T>>, read: () => Promise<T>): Promise<void> {
    try {
      target.set({ data: await read(), error: null });
    } catch (err) {
      target.set({ data: null, error: toApiError(err) });
    }
  }

  protected cloudName(id: string | null): string {
    return this.clouds.name(id);
  }

  protected planeName(id: string): string {
    return this.planes.name(id);
  }

  protected size(r: Resource): string {
    return sizeText(r.kind, r.spec);
  }

  /** Addresses added to the resource by add-addresses changes, of one family. */
  protected extra(r: Resource, family: 'ipv4' | 'ipv6'): string[] {
    return (r.ipam.extra ?? []).filter((e) => e.family === family).map((e) => e.address);
  }

  protected openChange(r: Resource, action: ChangeAction): void {
    this.notice.set(null);
    this.changing.set(r);
    this.dialog.set(action);
  }

  /** A change was submitted: say so, and show its request in the list. */
  protected async submitted(): Promise<void> {
    this.dialog.set(null);
    this.notice.set('resources.submitted');
    await this.record.reload();
  }
}

/** The addresses the onboarding workflow's extranet step handed out (one per plane and family). */
function extranetAddresses(status: ApiOutputs['onboarding']['status']): { plane: string; address: string }[] {
  const step = status.workflow?.steps.find((s) => s.key === 'extranet' && s.status === 'succeeded');
  const out = step?.output as { addresses?: { plane: string; address: string }[] } | null | undefined;
  return Array.isArray(out?.addresses) ? out.addresses : [];
}
