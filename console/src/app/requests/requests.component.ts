import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTabsModule } from 'ng-zorro-antd/tabs';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { RouterLink } from '@angular/router';
import { SessionStore } from '../core/session';
import { ApprovalChainsComponent } from './approval-chains.component';
import { RequestFormComponent } from './request-form.component';
import { OnboardingApiService, type BusinessSystem, type RequestAsk, type RequestDetail, type RequestPreview, type RequestSummary } from '../onboarding/onboarding-api.service';

/** My requests, a new request (policy results and quota before submitting), and the approvals queue. */
@Component({
  selector: 'app-requests',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, FormsModule, RouterLink, ApprovalChainsComponent, RequestFormComponent, NzButtonModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTableModule, NzTabsModule, NzTagModule, ErrorAlertComponent, TranslatePipe],
  templateUrl: './requests.component.html',
})
export class RequestsComponent implements OnInit {
  private readonly api = inject(OnboardingApiService);
  private readonly tasks = inject(PendingTasks);
  private readonly i18n = inject(I18nService);
  /** Chains are configured by admins (any) and department admins (their own department). */
  private readonly session = inject(SessionStore);
  protected readonly canConfigureChains = computed(() => this.session.hasAnyRole(['admin', 'department-admin']));

  protected readonly mine = signal<RequestSummary[]>([]);
  protected readonly queue = signal<RequestSummary[]>([]);
  protected readonly systems = signal<BusinessSystem[]>([]);
  protected readonly preview = signal<RequestPreview | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly busy = signal(false);
  /** The resource request dialog (items from the cloud's catalogue). */
  protected readonly formOpen = signal(false);
  /** The request opened for its steps, decisions and timeline. */
  protected readonly detail = signal<RequestDetail | null>(null);
  protected draft = { title: '', reason: '', systemId: null as string | null, cloudId: '', vcpu: 4, memoryGiB: 8, storageGiB: 0 };
  /** Decision reasons typed in the queue, by request id. */
  protected readonly reasons: Record<string, string> = {};

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  async load(): Promise<void> {
    try {
      const [mine, queue, systems] = await Promise.all([this.api.listRequests(true), this.api.approvalQueue(), this.api.listSystems()]);
      this.mine.set(mine.items);
      this.queue.set(queue.items);
      this.systems.set(systems.items);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  protected text(t: { zh: string; en: string }): string {
    return this.i18n.lang() === 'en' ? t.en : t.zh;
  }

  private ask(): RequestAsk {
    const d = this.draft;
    const items = ([['vcpu', d.vcpu], ['memoryGiB', d.memoryGiB], ['storageGiB', d.storageGiB]] as const)
      .filter(([, amount]) => amount > 0).map(([resourceClass, amount]) => ({ resourceClass, amount }));
    return { systemId: d.systemId ?? '', items, ...(d.cloudId.trim() ? { cloudId: d.cloudId.trim() } : {}) };
  }

  protected async openRequest(id: string): Promise<void> {
    await this.run(async () => this.detail.set(await this.api.getRequest(id)));
  }

  protected async checkRequest(): Promise<void> {
    await this.run(async () => this.preview.set(await this.api.previewRequest(this.ask())));
  }

  protected async submitRequest(): Promise<void> {
    await this.run(async () => {
      await this.api.submitRequest({ ...this.ask(), title: this.draft.title, reason: this.draft.reason });
      this.preview.set(null);
      this.draft = { ...this.draft, title: '', reason: '' };
      await this.load();
    });
  }

  /** A resource request went in: close the form and show it among mine. */
  protected async requested(): Promise<void> {
    this.formOpen.set(false);
    await this.load();
  }

  protected async decide(id: string, decision: 'approve' | 'reject'): Promise<void> {
    await this.run(async () => {
      await this.api.decide(id, decision, this.reasons[id] ?? '');
      await this.load();
    });
  }

  protected async withdraw(id: string): Promise<void> {
    await this.run(async () => {
      await this.api.cancelRequest(id, this.reasons[id] || '撤回');
      await this.load();
    });
  }

  private async run(fn: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await fn();
    } catch (err) {
      this.error.set(toApiError(err));
    } finally {
      this.busy.set(false);
    }
  }
}
