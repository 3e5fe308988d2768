import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { debounceTime, filter, tap } from 'rxjs';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTabsModule } from 'ng-zorro-antd/tabs';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { PagedList } from '../core/paged-list';
import { FieldErrorPipe } from '../core/field-error.pipe';
import { FormSubmission } from '../core/form-submission';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { I18nService } from '../core/i18n/i18n.service';
import { SystemPickerComponent } from '../core/pickers/system-picker.component';
import { SystemsPickerComponent } from '../core/pickers/systems-picker.component';
import { SessionStore } from '../core/session';
import { WorkflowDetailComponent } from '../workflows/workflow-detail.component';
import { OnboardingApiService, type BusinessSystem, type Placement } from './onboarding-api.service';
import { PolicyCatalogueComponent } from './policy-catalogue.component';
import { FieldComponent } from '../core/field.component';

type Classification = 'public' | 'internal' | 'sensitive' | 'classified';
type Architecture = 'x86_64' | 'arm64' | 'loongarch64';
/** How long typing in the named cloud pauses before its placement is read. */
const CLOUD_TYPING_PAUSE_MS = 400;

/**
 * The department portal: my business systems (and registering one), the onboarding wizard (placement with
 * the reason for every cloud, then live progress of the workflow), and the policy catalogue with its dry run.
 */
@Component({
  selector: 'app-onboarding',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FieldComponent, ReactiveFormsModule, RouterLink, NzButtonModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTableModule, NzTabsModule, NzTagModule, NzCheckboxModule, ErrorAlertComponent, FieldErrorPipe, TranslatePipe, WorkflowDetailComponent, PolicyCatalogueComponent, SystemPickerComponent, SystemsPickerComponent],
  templateUrl: './onboarding.component.html',
})
export class OnboardingComponent implements OnInit {
  private readonly api = inject(OnboardingApiService);
  private readonly tasks = inject(PendingTasks);
  protected readonly i18n = inject(I18nService);

  /** Only the roles the server lets register systems are offered the form (an auditor only reads). */
  private readonly session = inject(SessionStore);
  protected readonly canRegister = computed(() => this.session.hasAnyRole(['admin', 'department-admin', 'department-user']));
  /** My systems, a page at a time (a province-wide caller may see tens of thousands). */
  protected readonly systemList = new PagedList<BusinessSystem>({ load: (cursor) => this.api.listSystems(cursor), key: (s) => s.id });
  protected readonly systems = this.systemList.items;
  /** A failed placement preview; shown with a failed read of the systems. */
  private readonly previewError = signal<ApiError | null>(null);
  protected readonly error = computed(() => this.previewError() ?? this.systemList.error());
  protected readonly busy = signal(false);

  /** Register form: its errors show beside the fields, the server's too (FormSubmission maps them by path). */
  protected readonly registerForm = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    mlpsLevel: new FormControl(2, { nonNullable: true, validators: [Validators.required] }),
    dataClassification: new FormControl<Classification>('internal', { nonNullable: true, validators: [Validators.required] }),
    // required on an array: at least one architecture.
    architectures: new FormControl<Architecture[]>(['x86_64'], { nonNullable: true, validators: [Validators.required] }),
    drLevel: new FormControl(2, { nonNullable: true, validators: [Validators.required, Validators.min(1), Validators.max(6)] }),
    dependsOn: new FormControl<string[]>([], { nonNullable: true }),
    xinchuangRequired: new FormControl(false, { nonNullable: true }),
  });
  protected readonly registration = new FormSubmission(this.registerForm);
  /** The system just registered (the feedback after the form is reset). */
  protected readonly registered = signal<string | null>(null);

  /**
   * Wizard. Controls are named as the server's fields (cloudId, systemId) so its refusals land beside them;
   * the named cloud, when given, has the server's id shape.
   */
  protected readonly wizardForm = new FormGroup({
    cloudId: new FormControl('', { nonNullable: true, validators: [Validators.pattern(/^\s*[a-z][a-z0-9-]{1,40}\s*$/)] }),
    systemId: new FormControl<string | null>(null),
    vcpu: new FormControl(16, { nonNullable: true, validators: [Validators.required, Validators.min(0)] }),
    memoryGiB: new FormControl(64, { nonNullable: true, validators: [Validators.required, Validators.min(0)] }),
  });
  protected readonly onboarding = new FormSubmission(this.wizardForm);
  protected readonly classifications: readonly Classification[] = ['public', 'internal', 'sensitive', 'classified'];
  protected readonly architectures: readonly Architecture[] = ['x86_64', 'arm64', 'loongarch64'];
  protected readonly wizardSystem = signal<string | null>(null);
  protected readonly placement = signal<Placement | null>(null);
  protected readonly workflowId = signal<string | null>(null);

  /**
   * What the placement shown (or being read) is for: the system and the named cloud (undefined: placement
   * chooses). Onboarding starts with exactly this, so the cloud marked 选中 is the one onboarded onto.
   */
  private previewKey: { systemId: string; cloudId: string | undefined } | null = null;
  /** Bumped by every preview: only the latest one's answer is shown (a slow earlier answer is dropped). */
  private previewSeq = 0;

  constructor() {
    const c = this.wizardForm.controls;
    // Choosing a system previews its placement at once (PendingTasks: a test's settle() waits for it).
    c.systemId.valueChanges.pipe(takeUntilDestroyed()).subscribe((id) => void this.tasks.run(() => this.previewPlacement(id)));
    // Naming another cloud changes the placement: the preview for the old one goes at once (it would mark a
    // cloud 选中 that onboarding no longer goes to), and the new one is read once typing pauses.
    c.cloudId.valueChanges.pipe(
      filter(() => this.wizardSystem() !== null && (this.previewKey === null || this.namedCloud() !== this.previewKey.cloudId)),
      tap(() => {
        this.previewSeq++;
        this.previewKey = null;
        this.placement.set(null);
      }),
      debounceTime(CLOUD_TYPING_PAUSE_MS),
      filter(() => this.wizardSystem() !== null && this.previewKey === null),
      takeUntilDestroyed(),
    ).subscribe(() => void this.tasks.run(() => this.previewPlacement(this.wizardSystem())));
  }

  ngOnInit(): void {
    void this.tasks.run(() => this.systemList.reload());
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

  /** The chosen cloud by name (its id when the candidates do not list it). */
  protected chosenName(p: Placement): string {
    return p.candidates.find((c) => c.cloudId === p.chosen)?.name ?? p.chosen ?? '';
  }

  protected ruleTitles(denied: { title: { zh: string; en: string } }[]): string {
    return denied.map((d) => this.i18n.text(d.title)).join('；');
  }

  protected async registerSystem(): Promise<void> {
    this.registered.set(null);
    const created = await this.registration.run(() =>
      this.api.createSystem({ ...this.registerForm.getRawValue(), description: '', drEdition: '2025', rpoSeconds: 3600, rtoSeconds: 14400 }),
    );
    if (!created) return;
    // Reset what names this system; keep the classification a department registers a series of systems with.
    this.registerForm.controls.name.reset('');
    this.registerForm.controls.dependsOn.reset([]);
    this.registered.set(created.name);
    await this.systemList.refresh();
  }

  /** The named cloud, or undefined: placement chooses among every cloud. */
  private namedCloud(): string | undefined {
    return this.wizardForm.controls.cloudId.value.trim() || undefined;
  }

  protected async previewPlacement(systemId: string | null): Promise<void> {
    const seq = ++this.previewSeq;
    this.wizardSystem.set(systemId);
    this.placement.set(null);
    this.previewKey = null;
    this.workflowId.set(null);
    this.onboarding.clear();
    const cloud = this.wizardForm.controls.cloudId;
    if (!systemId) return;
    if (cloud.invalid) {
      cloud.markAsDirty();
      cloud.markAsTouched();
      return;
    }
    const key = { systemId, cloudId: this.namedCloud() };
    this.previewKey = key;
    this.busy.set(true);
    this.previewError.set(null);
    try {
      const placement = await this.api.previewPlacement(key.systemId, key.cloudId);
      if (seq === this.previewSeq) this.placement.set(placement);
    } catch (err) {
      if (seq === this.previewSeq) this.previewError.set(toApiError(err));
    } finally {
      if (seq === this.previewSeq) this.busy.set(false);
    }
  }

  protected async startOnboarding(): Promise<void> {
    // The system and cloud of the placement on the screen, not whatever the field says meanwhile.
    const key = this.previewKey;
    if (!key || !this.placement()) return;
    const { vcpu, memoryGiB } = this.wizardForm.getRawValue();
    const limits = [{ resourceClass: 'vcpu' as const, limit: vcpu }, { resourceClass: 'memoryGiB' as const, limit: memoryGiB }];
    const started = await this.onboarding.run(() => this.api.startOnboarding(key.systemId, limits, key.cloudId));
    if (!started) return;
    this.workflowId.set(started.workflowId);
    await this.systemList.refresh();
  }
}
