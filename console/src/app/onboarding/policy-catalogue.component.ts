import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { SessionStore } from '../core/session';
import { OnboardingApiService, type BusinessSystem, type DryRun, type PolicyItem, type SystemFields } from './onboarding-api.service';

const OUTCOME_COLORS: Record<string, string> = { pass: 'green', deny: 'red', warn: 'orange', 'quota-increase': 'orange' };

/**
 * The policy catalogue (rule, enforcement level, rationale and its source) and the dry run: "what if"
 * this system (registered, or described here) went on the cloud — the verdict and every cloud's reasons.
 */
@Component({
  selector: 'app-policy-catalogue',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, NzButtonModule, NzCheckboxModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTableModule, NzTagModule, ErrorAlertComponent, TranslatePipe],
  templateUrl: './policy-catalogue.component.html',
})
export class PolicyCatalogueComponent implements OnInit {
  private readonly api = inject(OnboardingApiService);
  private readonly tasks = inject(PendingTasks);
  private readonly i18n = inject(I18nService);
  private readonly session = inject(SessionStore);
  /** Only admins change a rule's enforcement level (the server checks the same). */
  protected readonly canChange = computed(() => this.session.hasAnyRole(['admin']));
  protected readonly levels = ['mandatory', 'advisory', 'disabled'] as const;

  /** Registered systems the caller can pick for a dry run. */
  readonly systems = input<BusinessSystem[]>([]);

  protected readonly policies = signal<PolicyItem[]>([]);
  protected readonly result = signal<DryRun | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly busy = signal(false);
  protected readonly outcomeColor = (o: string) => OUTCOME_COLORS[o] ?? 'default';
  protected systemId: string | null = null;
  protected cloudId = '';
  protected described: SystemFields = {
    name: '假设系统', mlpsLevel: 3, dataClassification: 'internal', xinchuangRequired: false, architectures: ['x86_64'],
    drLevel: 2, drEdition: '2025', rpoSeconds: 3600, rtoSeconds: 14400, ownerUserId: null, description: '',
  };

  ngOnInit(): void {
    void this.tasks.run(async () => {
      try {
        this.policies.set((await this.api.listPolicies()).items);
      } catch (err) {
        this.error.set(toApiError(err));
      }
    });
  }

  protected text(t: { zh: string; en: string }): string {
    return this.i18n.lang() === 'en' ? t.en : t.zh;
  }

  protected async changeEnforcement(p: PolicyItem, enforcement: PolicyItem['enforcement']): Promise<void> {
    this.error.set(null);
    try {
      await this.api.setEnforcement(p.id, enforcement);
      this.policies.set((await this.api.listPolicies()).items);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  /** Dry run of the picked registered system, or of the described one when none is picked. */
  protected async runDryRun(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const subject = this.systemId ? { systemId: this.systemId } : { system: this.described };
      this.result.set(await this.api.dryRun(subject, this.cloudId.trim() || undefined));
    } catch (err) {
      this.error.set(toApiError(err));
    } finally {
      this.busy.set(false);
    }
  }
}
