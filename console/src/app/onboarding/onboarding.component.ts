import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTabsModule } from 'ng-zorro-antd/tabs';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { I18nService } from '../core/i18n/i18n.service';
import { WorkflowDetailComponent } from '../workflows/workflow-detail.component';
import { OnboardingApiService, type BusinessSystem, type DryRun, type Placement, type PolicyItem } from './onboarding-api.service';

/**
 * The department portal: my business systems (and registering one), the onboarding wizard (placement with
 * the reason for every cloud, then live progress of the workflow), and the policy catalogue with a dry run.
 */
@Component({
  selector: 'app-onboarding',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, NzButtonModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTableModule, NzTabsModule, NzTagModule, NzCheckboxModule, ErrorAlertComponent, TranslatePipe, WorkflowDetailComponent],
  templateUrl: './onboarding.component.html',
})
export class OnboardingComponent implements OnInit {
  private readonly api = inject(OnboardingApiService);
  private readonly tasks = inject(PendingTasks);
  protected readonly i18n = inject(I18nService);

  protected readonly systems = signal<BusinessSystem[]>([]);
  protected readonly policies = signal<PolicyItem[]>([]);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly busy = signal(false);

  /** Register form. */
  protected draft = { name: '', mlpsLevel: 2, dataClassification: 'internal' as const, xinchuangRequired: false, architectures: ['x86_64'] as ('x86_64' | 'arm64' | 'loongarch64')[], drLevel: 2 };
  /** Wizard. */
  protected readonly wizardSystem = signal<string | null>(null);
  protected readonly placement = signal<Placement | null>(null);
  protected readonly workflowId = signal<string | null>(null);
  protected vcpu = 16;
  protected memoryGiB = 64;
  /** Dry run. */
  protected readonly dryRunSystem = signal<string | null>(null);
  protected readonly dryRun = signal<DryRun | null>(null);

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  async load(): Promise<void> {
    try {
      const [systems, policies] = await Promise.all([this.api.listSystems(), this.api.listPolicies()]);
      this.systems.set(systems.items);
      this.policies.set(policies.items);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  protected text(t: { zh: string; en: string }): string {
    return this.i18n.lang() === 'en' ? t.en : t.zh;
  }

  protected async registerSystem(): Promise<void> {
    await this.run(async () => {
      await this.api.createSystem({ ...this.draft, description: '', drEdition: '2025', rpoSeconds: 3600, rtoSeconds: 14400 });
      this.draft = { ...this.draft, name: '' };
      await this.load();
    });
  }

  protected async previewPlacement(systemId: string | null): Promise<void> {
    this.wizardSystem.set(systemId);
    this.placement.set(null);
    this.workflowId.set(null);
    if (!systemId) return;
    await this.run(async () => this.placement.set(await this.api.previewPlacement(systemId)));
  }

  protected async startOnboarding(): Promise<void> {
    const systemId = this.wizardSystem();
    if (!systemId) return;
    await this.run(async () => {
      const started = await this.api.startOnboarding(systemId, [{ resourceClass: 'vcpu', limit: this.vcpu }, { resourceClass: 'memoryGiB', limit: this.memoryGiB }]);
      this.workflowId.set(started.workflowId);
      await this.load();
    });
  }

  protected async runDryRun(systemId: string | null): Promise<void> {
    this.dryRunSystem.set(systemId);
    this.dryRun.set(null);
    if (systemId) await this.run(async () => this.dryRun.set(await this.api.dryRun(systemId)));
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
