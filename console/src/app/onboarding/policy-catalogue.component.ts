import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { Actions } from '../core/actions';
import { ApiError, toApiError } from '../core/api-error';
import type { ApiInputs } from '../core/api-types';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { SessionStore } from '../core/session';
import { SystemPickerComponent } from '../core/pickers/system-picker.component';
import type { DryRun, PolicyItem, SystemFields } from './onboarding-api.service';

const OUTCOME_COLORS: Record<string, string> = { pass: 'green', deny: 'red', warn: 'orange', 'quota-increase': 'orange' };
type Enforcement = PolicyItem['enforcement'];
type PolicyId = ApiInputs['policies']['setEnforcement']['policyId'];

/**
 * The policy catalogue (rule, enforcement level, rationale and its source) and the dry run: "what if"
 * this system (registered, or described here) went on the cloud — the verdict and every cloud's reasons.
 */
@Component({
  selector: 'app-policy-catalogue',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzButtonModule, NzCheckboxModule, NzInputNumberModule, NzSelectModule, NzTableModule, NzTagModule, ErrorAlertComponent, SystemPickerComponent, TranslatePipe],
  templateUrl: './policy-catalogue.component.html',
  styles: `.dry-run label { margin-right: 4px; }`,
})
export class PolicyCatalogueComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  protected readonly i18n = inject(I18nService);
  private readonly session = inject(SessionStore);
  /** Only admins change a rule's enforcement level (the server checks the same). */
  protected readonly canChange = computed(() => this.session.hasAnyRole(['admin']));
  protected readonly levels = ['mandatory', 'advisory', 'disabled'] as const;
  protected readonly classifications = ['public', 'internal', 'sensitive', 'classified'] as const;
  protected readonly architectures = ['x86_64', 'arm64', 'loongarch64'] as const;


  protected readonly policies = signal<PolicyItem[]>([]);
  /** One control per rule's level (admins only see it), rebuilt whenever the catalogue is read. */
  protected readonly levelControls = signal<Record<string, FormControl<Enforcement>>>({});
  protected readonly clouds = signal<{ id: string; name: string }[]>([]);
  protected readonly result = signal<DryRun | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly actions = new Actions<'dryRun'>({ error: this.error });
  protected readonly outcomeColor = (o: string) => OUTCOME_COLORS[o] ?? 'default';

  /** The dry run's subject: a system chosen with the shared picker (searched on the server), or the one described below (used when none is picked). */
  protected readonly form = new FormGroup({
    systemId: new FormControl<string | null>(null),
    /** Empty: placement chooses among every cloud, as it would at registration. */
    cloudId: new FormControl<string | null>(null),
    described: new FormGroup({
      mlpsLevel: new FormControl(3, { nonNullable: true }),
      drLevel: new FormControl(2, { nonNullable: true }),
      dataClassification: new FormControl<SystemFields['dataClassification']>('internal', { nonNullable: true }),
      architectures: new FormControl<SystemFields['architectures']>(['x86_64'], { nonNullable: true }),
      xinchuangRequired: new FormControl(false, { nonNullable: true }),
    }),
  });
  protected readonly picked = signal<string | null>(null);

  constructor() {
    this.form.controls.systemId.valueChanges.subscribe((id) => this.picked.set(id));
  }

  ngOnInit(): void {
    void this.tasks.run(async () => {
      try {
        const [policies, clouds] = await Promise.all([this.api.policies.list.query(), this.api.clouds.list.query({})]);
        this.showPolicies(policies.items);
        this.clouds.set(clouds.items.map((c) => ({ id: c.id, name: c.name })));
      } catch (err) {
        this.error.set(toApiError(err));
      }
    });
  }

  /** A cloud's name for display (its identifier stays on hover). */
  protected cloudName(id: string): string {
    return this.clouds().find((c) => c.id === id)?.name ?? this.result()?.candidates.find((c) => c.cloudId === id)?.name ?? id;
  }

  private showPolicies(items: PolicyItem[]): void {
    this.policies.set(items);
    const controls: Record<string, FormControl<Enforcement>> = {};
    for (const p of items) {
      const ctl = new FormControl<Enforcement>(p.enforcement, { nonNullable: true });
      ctl.valueChanges.subscribe((level) => void this.changeEnforcement(p, level));
      controls[p.id] = ctl;
    }
    this.levelControls.set(controls);
  }

  private async changeEnforcement(p: PolicyItem, enforcement: Enforcement): Promise<void> {
    if (enforcement === p.enforcement) return;
    this.error.set(null);
    try {
      await this.api.policies.setEnforcement.mutate({ policyId: p.id as PolicyId, enforcement });
      this.showPolicies((await this.api.policies.list.query()).items);
    } catch (err) {
      this.error.set(toApiError(err));
      // The refused level is not shown as if it had been taken.
      this.levelControls()[p.id]?.setValue(p.enforcement, { emitEvent: false });
    }
  }

  /** Dry run of the picked registered system, or of the described one when none is picked. */
  protected async runDryRun(): Promise<void> {
    await this.actions.run('dryRun', async () => {
      const { systemId, cloudId, described } = this.form.getRawValue();
      const system: SystemFields = {
        name: this.i18n.lang() === 'en' ? 'hypothetical system' : '假设系统', ownerUserId: null, description: '',
        drEdition: '2025', rpoSeconds: 3600, rtoSeconds: 14400, ...described,
      };
      const subject = systemId ? { systemId } : { system };
      this.result.set(await this.api.policies.dryRun.query({ ...subject, ...(cloudId ? { cloudId } : {}) }));
    });
  }
}
