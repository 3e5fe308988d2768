import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
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
import { SessionStore } from '../core/session';
import { WorkflowDetailComponent } from '../workflows/workflow-detail.component';
import { OnboardingApiService, type BusinessSystem, type Placement } from './onboarding-api.service';
import { PolicyCatalogueComponent } from './policy-catalogue.component';

/**
 * The department portal: my business systems (and registering one), the onboarding wizard (placement with
 * the reason for every cloud, then live progress of the workflow), and the policy catalogue with its dry run.
 */
@Component({
  selector: 'app-onboarding',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, NzButtonModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTableModule, NzTabsModule, NzTagModule, NzCheckboxModule, ErrorAlertComponent, TranslatePipe, WorkflowDetailComponent, PolicyCatalogueComponent],
  templateUrl: './onboarding.component.html',
})
export class OnboardingComponent implements OnInit {
  private readonly api = inject(OnboardingApiService);
  private readonly tasks = inject(PendingTasks);
  protected readonly i18n = inject(I18nService);

  /** Only the roles the server lets register systems are offered the form (an auditor only reads). */
  private readonly session = inject(SessionStore);
  protected readonly canRegister = computed(() => this.session.hasAnyRole(['admin', 'department-admin', 'department-user']));
  protected readonly systems = signal<BusinessSystem[]>([]);
  /** Where the next page of systems starts; null when all are shown. */
  protected readonly systemsCursor = signal<string | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly busy = signal(false);

  /** Register form. */
  protected draft = { name: '', dependsOn: [] as string[], mlpsLevel: 2, dataClassification: 'internal' as const, xinchuangRequired: false, architectures: ['x86_64'] as ('x86_64' | 'arm64' | 'loongarch64')[], drLevel: 2 };
  /** Wizard. */
  protected readonly wizardSystem = signal<string | null>(null);
  protected readonly placement = signal<Placement | null>(null);
  protected readonly workflowId = signal<string | null>(null);
  protected vcpu = 16;
  protected memoryGiB = 64;
  /** Empty: placement chooses among every cloud; else only this cloud is judged. */
  protected namedCloud = '';

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  async load(): Promise<void> {
    try {
      const page = await this.api.listSystems();
      this.systems.set(page.items);
      this.systemsCursor.set(page.nextCursor);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  /** The next page of systems (a province-wide caller may see tens of thousands). */
  protected async moreSystems(): Promise<void> {
    const cursor = this.systemsCursor();
    if (!cursor) return;
    try {
      const page = await this.api.listSystems(cursor);
      this.systems.update((rows) => [...rows, ...page.items.filter((s) => !rows.some((r) => r.id === s.id))]);
      this.systemsCursor.set(page.nextCursor);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  /**
   * When nothing fits: the clouds that fail the fewest rules, each with the rules it fails (the smallest
   * change that would make one fit is meeting those rules there, or relaxing them for the system).
   */
  protected readonly closest = computed(() => {
    const p = this.placement();
    if (!p || p.chosen) return [];
    return p.candidates
      .map((c) => ({ cloud: c.name, denied: c.results.filter((r) => r.outcome === 'deny') }))
      .filter((c) => c.denied.length > 0)
      .sort((a, b) => a.denied.length - b.denied.length || a.cloud.localeCompare(b.cloud, 'zh-CN'))
      .slice(0, 3);
  });

  protected ruleTitles(denied: { title: { zh: string; en: string } }[]): string {
    return denied.map((d) => this.text(d.title)).join('；');
  }

  protected text(t: { zh: string; en: string }): string {
    return this.i18n.lang() === 'en' ? t.en : t.zh;
  }

  protected async registerSystem(): Promise<void> {
    await this.run(async () => {
      await this.api.createSystem({ ...this.draft, description: '', drEdition: '2025', rpoSeconds: 3600, rtoSeconds: 14400 });
      this.draft = { ...this.draft, name: '', dependsOn: [] };
      await this.load();
    });
  }

  protected async previewPlacement(systemId: string | null): Promise<void> {
    this.wizardSystem.set(systemId);
    this.placement.set(null);
    this.workflowId.set(null);
    if (!systemId) return;
    await this.run(async () => this.placement.set(await this.api.previewPlacement(systemId, this.namedCloud.trim() || undefined)));
  }

  protected async startOnboarding(): Promise<void> {
    const systemId = this.wizardSystem();
    if (!systemId) return;
    await this.run(async () => {
      const limits = [{ resourceClass: 'vcpu' as const, limit: this.vcpu }, { resourceClass: 'memoryGiB' as const, limit: this.memoryGiB }];
      const started = await this.api.startOnboarding(systemId, limits, this.namedCloud.trim() || undefined);
      this.workflowId.set(started.workflowId);
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
