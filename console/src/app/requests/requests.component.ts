import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormControl, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTabsModule } from 'ng-zorro-antd/tabs';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { Actions } from '../core/actions';
import { ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { RouterLink } from '@angular/router';
import { SessionStore } from '../core/session';
import { SystemPickerComponent } from '../core/pickers/system-picker.component';
import { resourceClassKey } from './resource-class';
import { ApprovalChainsComponent } from './approval-chains.component';
import { RequestFormComponent } from './request-form.component';
import { OnboardingApiService, type RequestAsk, type RequestDetail, type RequestPreview, type RequestSummary } from '../onboarding/onboarding-api.service';

/** My requests, a new request (policy results and quota before submitting), and the approvals queue. */
@Component({
  selector: 'app-requests',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ReactiveFormsModule, RouterLink, SystemPickerComponent, ApprovalChainsComponent, RequestFormComponent, NzButtonModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTableModule, NzTabsModule, NzTagModule, ErrorAlertComponent, TranslatePipe],
  templateUrl: './requests.component.html',
})
export class RequestsComponent implements OnInit {
  private readonly api = inject(OnboardingApiService);
  private readonly tasks = inject(PendingTasks);
  protected readonly i18n = inject(I18nService);
  /** Chains are configured by admins (any) and department admins (their own department). */
  private readonly session = inject(SessionStore);
  protected readonly canConfigureChains = computed(() => this.session.hasAnyRole(['admin', 'department-admin']));

  protected readonly mine = signal<RequestSummary[]>([]);
  protected readonly queue = signal<RequestSummary[]>([]);
  protected readonly preview = signal<RequestPreview | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  /** Opening, checking, submitting and deciding; the check and submit buttons spin while any runs. */
  protected readonly actions = new Actions({ error: this.error });
  /** The resource request dialog (items from the cloud's catalogue). */
  protected readonly formOpen = signal(false);
  /** The request opened for its steps, decisions and timeline. */
  protected readonly detail = signal<RequestDetail | null>(null);
  private readonly fb = inject(NonNullableFormBuilder);
  /** The quick quota request of the toolbar; the system is chosen by the shared picker (searched on the server). */
  protected readonly draft = this.fb.group({
    title: [''],
    systemId: new FormControl<string | null>(null),
    cloudId: [''],
    vcpu: [4],
    memoryGiB: [8],
    storageGiB: [0],
    reason: [''],
  });
  /** Decision reasons typed in the queue, by request id. */
  protected readonly reasons = this.fb.record<string>({});
  protected readonly classKey = resourceClassKey;

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  async load(): Promise<void> {
    try {
      const [mine, queue] = await Promise.all([this.api.listRequests(true), this.api.approvalQueue()]);
      this.mine.set(mine.items);
      for (const r of queue.items) if (!this.reasons.contains(r.id)) this.reasons.addControl(r.id, this.fb.control(''));
      this.queue.set(queue.items);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  private ask(): RequestAsk {
    const d = this.draft.getRawValue();
    const items = ([['vcpu', d.vcpu], ['memoryGiB', d.memoryGiB], ['storageGiB', d.storageGiB]] as const)
      .filter(([, amount]) => amount > 0).map(([resourceClass, amount]) => ({ resourceClass, amount }));
    return { systemId: d.systemId ?? '', items, ...(d.cloudId.trim() ? { cloudId: d.cloudId.trim() } : {}) };
  }

  protected async openRequest(id: string): Promise<void> {
    await this.actions.run(`open:${id}`, async () => this.detail.set(await this.api.getRequest(id)));
  }

  protected async checkRequest(): Promise<void> {
    await this.actions.run('check', async () => this.preview.set(await this.api.previewRequest(this.ask())));
  }

  protected async submitRequest(): Promise<void> {
    await this.actions.run('submit', async () => {
      const { title, reason } = this.draft.getRawValue();
      await this.api.submitRequest({ ...this.ask(), title, reason });
      this.preview.set(null);
      this.draft.patchValue({ title: '', reason: '' });
      await this.load();
    });
  }

  /** A resource request went in: close the form and show it among mine. */
  protected async requested(): Promise<void> {
    this.formOpen.set(false);
    await this.load();
  }

  protected async decide(id: string, decision: 'approve' | 'reject'): Promise<void> {
    await this.actions.run(`decide:${id}`, async () => {
      await this.api.decide(id, decision, this.reasons.value[id] ?? '');
      await this.load();
    });
  }

  protected async withdraw(id: string): Promise<void> {
    await this.actions.run(`withdraw:${id}`, async () => {
      await this.api.cancelRequest(id, this.reasons.value[id] || '撤回');
      await this.load();
    });
  }

  /** The queue row's reason field (created when the queue is read). */
  protected reason(id: string): FormControl<string> {
    return this.reasons.controls[id]!;
  }
}
