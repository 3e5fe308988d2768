import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, inject, signal } from '@angular/core';
import { FormArray, FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { API } from '../core/api-client';
import { Actions } from '../core/actions';
import { ApiError, toApiError } from '../core/api-error';
import type { Department, Role } from '../core/api-types';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { FieldErrorPipe } from '../core/field-error.pipe';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { PagedList } from '../core/paged-list';
import type { Chain } from '../onboarding/onboarding-api.service';

type Mode = 'single' | 'countersign' | 'or-sign';

/** One step of the chain being written: a name, how it decides, who decides, its time limit. */
function stepGroup(step: { name: string; mode: Mode; role: Role; slaHours: number }) {
  return new FormGroup({
    name: new FormControl(step.name, { nonNullable: true, validators: [Validators.required] }),
    mode: new FormControl<Mode>(step.mode, { nonNullable: true }),
    role: new FormControl<Role>(step.role, { nonNullable: true }),
    slaHours: new FormControl(step.slaHours, { nonNullable: true, validators: [Validators.required, Validators.min(1)] }),
  });
}
/** Chains per page: the server pages them. */
const PAGE_SIZE = 50;
const FIRST_STEP = { name: '部门审批', mode: 'or-sign' as Mode, role: 'department-admin' as Role, slaHours: 24 };

/**
 * Approval chains per department and size: sequential steps, each 会签 (countersign), 或签 (or-sign) or
 * single, approvers by role (named users are set through the API). Admins may set the general chain.
 */
@Component({
  selector: 'app-approval-chains',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, FieldErrorPipe, NzButtonModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTableModule, ErrorAlertComponent, TranslatePipe],
  templateUrl: './approval-chains.component.html',
})
export class ApprovalChainsComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly i18n = inject(I18nService);

  private readonly chainList = new PagedList<Chain>({
    load: (cursor) => this.api.requests.chains.query({ limit: PAGE_SIZE, ...(cursor !== undefined ? { cursor } : {}) }),
    key: (c) => c.id,
  });
  protected readonly chains = this.chainList.items;
  protected readonly hasMore = this.chainList.hasMore;
  protected readonly loading = this.chainList.loading;
  protected readonly listError = this.chainList.error;
  protected readonly departments = signal<Department[]>([]);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly actions = new Actions<'save'>({ error: this.error });
  protected readonly roles: Role[] = ['department-admin', 'cloud-operator', 'admin', 'network-engineer'];
  protected readonly modes: Mode[] = ['or-sign', 'countersign', 'single'];
  protected readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    /** Null: the general chain (admins only; the server checks). */
    departmentId: new FormControl<string | null>(null),
    minUnits: new FormControl(0, { nonNullable: true, validators: [Validators.min(0)] }),
    steps: new FormArray([stepGroup(FIRST_STEP)]),
  });

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  async load(): Promise<void> {
    await Promise.all([this.chainList.reload(), this.loadDepartments()]);
  }

  /** The next page of chains, after the last one shown. */
  protected async more(): Promise<void> {
    await this.chainList.more();
  }

  private async loadDepartments(): Promise<void> {
    try {
      this.departments.set((await this.api.departments.list.query()).items);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  protected departmentName(id: string | null): string {
    return id ? (this.departments().find((d) => d.id === id)?.name ?? id) : this.i18n.t('requests.generalChain');
  }

  protected approversOf(c: Chain): string {
    const t = (key: string, params?: Record<string, string | number>) => this.i18n.t(key, params);
    const sep = this.i18n.lang() === 'en' ? ', ' : '，';
    return c.steps
      .map((s) => {
        const who = 'role' in s.approvers ? t('role.' + s.approvers.role) : t('requests.step.users', { n: s.approvers.users.length });
        return this.i18n.lang() === 'en' ? `${s.name} (${t('requests.mode.' + s.mode)}${sep}${who})` : `${s.name}（${t('requests.mode.' + s.mode)}${sep}${who}）`;
      })
      .join(' → ');
  }

  protected addStep(): void {
    this.form.controls.steps.push(stepGroup({ name: '', mode: 'or-sign', role: 'cloud-operator', slaHours: 24 }));
  }

  protected removeStep(i: number): void {
    this.form.controls.steps.removeAt(i);
  }

  protected async saveChain(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    await this.actions.run('save', async () => {
      const { steps, ...chain } = this.form.getRawValue();
      await this.api.requests.saveChain.mutate({
        ...chain,
        name: chain.name.trim(),
        steps: steps.map((s) => ({ name: s.name.trim(), mode: s.mode, approvers: { role: s.role }, slaHours: s.slaHours })),
      });
      // Saved: a fresh form for the next chain (the department stays, as the next chain is often its sibling).
      this.form.controls.steps.clear();
      this.form.controls.steps.push(stepGroup(FIRST_STEP));
      this.form.reset({ name: '', departmentId: chain.departmentId, minUnits: 0 });
      await this.load();
    });
  }
}
