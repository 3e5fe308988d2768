import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { API } from '../core/api-client';
import { ApiError, toApiError } from '../core/api-error';
import type { Department, Role } from '../core/api-types';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { OnboardingApiService, type Chain } from '../onboarding/onboarding-api.service';

type Mode = 'single' | 'countersign' | 'or-sign';
interface StepDraft {
  name: string;
  mode: Mode;
  role: Role;
  slaHours: number;
}

/**
 * Approval chains per department and size: sequential steps, each 会签 (countersign), 或签 (or-sign) or
 * single, approvers by role (named users are set through the API). Admins may set the general chain.
 */
@Component({
  selector: 'app-approval-chains',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, NzButtonModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTableModule, ErrorAlertComponent, TranslatePipe],
  templateUrl: './approval-chains.component.html',
})
export class ApprovalChainsComponent implements OnInit {
  private readonly api = inject(OnboardingApiService);
  private readonly core = inject(API);
  private readonly tasks = inject(PendingTasks);

  protected readonly chains = signal<Chain[]>([]);
  protected readonly departments = signal<Department[]>([]);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly busy = signal(false);
  protected readonly roles: Role[] = ['department-admin', 'cloud-operator', 'admin', 'network-engineer'];
  protected readonly modes: Mode[] = ['or-sign', 'countersign', 'single'];
  protected draft = { name: '', departmentId: null as string | null, minUnits: 0 };
  protected steps: StepDraft[] = [{ name: '部门审批', mode: 'or-sign', role: 'department-admin', slaHours: 24 }];

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  async load(): Promise<void> {
    try {
      const [chains, departments] = await Promise.all([this.api.listChains(), this.core.departments.list.query()]);
      this.chains.set(chains.items);
      this.departments.set(departments.items);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  protected departmentName(id: string | null): string {
    return id ? (this.departments().find((d) => d.id === id)?.name ?? id) : '*';
  }

  protected approversOf(c: Chain): string {
    return c.steps.map((s) => `${s.name} (${s.mode}, ${'role' in s.approvers ? s.approvers.role : s.approvers.users.length})`).join(' → ');
  }

  protected addStep(): void {
    this.steps = [...this.steps, { name: '', mode: 'or-sign', role: 'cloud-operator', slaHours: 24 }];
  }

  protected removeStep(i: number): void {
    this.steps = this.steps.filter((_, j) => j !== i);
  }

  protected async saveChain(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.api.saveChain({
        ...this.draft,
        steps: this.steps.map((s) => ({ name: s.name, mode: s.mode, approvers: { role: s.role }, slaHours: s.slaHours })),
      });
      this.draft = { ...this.draft, name: '' };
      await this.load();
    } catch (err) {
      this.error.set(toApiError(err));
    } finally {
      this.busy.set(false);
    }
  }
}
