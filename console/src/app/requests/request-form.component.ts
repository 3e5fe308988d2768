import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, output, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, NonNullableFormBuilder, ReactiveFormsModule, Validators, type FormGroup } from '@angular/forms';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCheckboxModule } from 'ng-zorro-antd/checkbox';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { applyFieldErrors, formError, toApiError, type ApiError, type FieldProblem } from '../core/api-error';
import type { ApiOutputs } from '../core/api-types';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { FieldErrorPipe } from '../core/field-error.pipe';
import { FormDialogComponent } from '../core/form-dialog.component';
import { FormSubmission } from '../core/form-submission';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { SystemPickerComponent } from '../core/pickers/system-picker.component';
import { QUOTA_CLASSES, hostChoices, newDraft, quotaEffect, segmentChoices, toItem, type Catalogue, type ItemDraft, type ItemKind } from './request-items';
import { FieldComponent } from '../core/field.component';

type Preview = ApiOutputs['requests']['preview'];
const NAME = /^[a-z]([a-z0-9-]{0,28}[a-z0-9])?$/;
/** The API's fields a row shows in one control of its own: arch and vendor are the platform, a workload's size the flavour. */
const ROW_ALIASES: Record<string, string> = { arch: 'platform', vendor: 'platform', size: 'flavour' };
const onRowControl = (f: FieldProblem): FieldProblem => {
  const m = /^(resources\.\d+)\.(arch|vendor|size)$/.exec(f.path);
  return m ? { ...f, path: `${m[1]}.${ROW_ALIASES[m[2]!]}` } : f;
};
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

/**
 * A new request for resources, built from the chosen cloud's real catalogue (`requests.catalogue`): only the
 * clouds placement allows the system (等保, 信创, architectures), the platforms and images its needs allow, the
 * networks that have address pools, and the system's live segments and hosts to refer to. The quota the items
 * hold is shown as they are typed; "check" asks the server (`requests.preview`) whether it fits the quota and the
 * policies before anything is submitted. A refusal shows beside the field it names (`resources.1.image`).
 */
@Component({
  selector: 'app-request-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FieldComponent, ReactiveFormsModule, NzAlertModule, NzButtonModule, NzCheckboxModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTagModule,
    ErrorAlertComponent, FieldErrorPipe, FormDialogComponent, SystemPickerComponent, TranslatePipe],
  templateUrl: './request-form.component.html',
})
export class RequestFormComponent {
  private readonly api = inject(API);
  private readonly i18n = inject(I18nService);
  private readonly fb = inject(NonNullableFormBuilder);

  readonly open = input.required<boolean>();
  readonly submitted = output<string>();
  readonly closed = output<void>();

  protected readonly kinds: readonly ItemKind[] = ['segment', 'host', 'workload', 'volume'];
  protected readonly classes = QUOTA_CLASSES;
  protected readonly form = this.fb.group({
    // Chosen with the shared picker, which searches every system in the caller's scope on the server.
    systemId: new FormControl<string | null>(null, Validators.required),
    cloudId: [''],
    title: ['', [Validators.required, Validators.minLength(2)]],
    reason: [''],
    resources: this.fb.array<FormGroup>([]),
  });
  protected readonly submission = new FormSubmission(this.form);
  protected readonly catalogue = signal<Catalogue | null>(null);
  protected readonly catalogueError = signal<ApiError | null>(null);
  protected readonly preview = signal<Preview | null>(null);
  protected readonly checking = signal(false);
  /** The system and cloud the catalogue shown (or being read) is for. */
  private loaded: { systemId: string | null; cloudId: string } = { systemId: null, cloudId: '' };
  /** Bumped by every catalogue read (and by reset): an answer to an older read is dropped. */
  private catalogueSeq = 0;

  private readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  protected readonly drafts = computed(() => {
    this.value();
    return this.form.controls.resources.getRawValue() as ItemDraft[];
  });
  protected readonly effect = computed(() => quotaEffect(this.drafts(), this.catalogue()?.flavours ?? []));
  protected readonly segments = computed(() => segmentChoices(this.drafts(), this.catalogue()));
  protected readonly hosts = computed(() => hostChoices(this.drafts(), this.catalogue()));
  protected readonly allowedPlatforms = computed(() => (this.catalogue()?.platforms ?? []).filter((p) => p.refusal === null));
  protected readonly refusedPlatforms = computed(() => (this.catalogue()?.platforms ?? []).filter((p) => p.refusal !== null));

  constructor() {
    const c = this.form.controls;
    // Only a real change reloads: checking the form re-emits every control's value unchanged.
    c.systemId.valueChanges.pipe(takeUntilDestroyed(inject(DestroyRef))).subscribe((systemId) => {
      if (systemId === this.loaded.systemId) return;
      c.cloudId.setValue('', { emitEvent: false });
      void this.loadCatalogue();
    });
    c.cloudId.valueChanges.pipe(takeUntilDestroyed(inject(DestroyRef))).subscribe((cloudId) => {
      if (cloudId !== this.loaded.cloudId) void this.loadCatalogue();
    });
    // Any edit makes the last check stale: the user checks again before the effect is trusted.
    this.form.valueChanges.pipe(takeUntilDestroyed(inject(DestroyRef))).subscribe(() => this.preview.set(null));
  }

  /** Each opening starts empty: no system, no items, no catalogue. */
  protected reset(): void {
    this.form.controls.resources.clear();
    this.form.reset({ systemId: null, cloudId: '', title: '', reason: '' }, { emitEvent: false });
    this.catalogue.set(null);
    this.preview.set(null);
    this.loaded = { systemId: null, cloudId: '' };
    this.catalogueSeq++;
  }

  private async loadCatalogue(): Promise<void> {
    const { systemId, cloudId } = this.form.getRawValue();
    const seq = ++this.catalogueSeq;
    this.loaded = { systemId, cloudId };
    this.preview.set(null);
    this.catalogueError.set(null);
    if (!systemId) return this.catalogue.set(null);
    try {
      const c = await this.api.requests.catalogue.query({ systemId, ...(cloudId ? { cloudId } : {}) });
      // Only the latest read counts: a slow answer for the system's default cloud that comes after the one for
      // the cloud the user then chose must neither replace its catalogue nor put the default back in the field.
      if (seq !== this.catalogueSeq) return;
      this.catalogue.set(c);
      // The cloud the catalogue is for is the one the request names: what was offered is what is checked.
      if (c.cloudId && !cloudId) {
        this.loaded = { systemId, cloudId: c.cloudId };
        this.form.controls.cloudId.setValue(c.cloudId, { emitEvent: false });
      }
    } catch (err) {
      if (seq !== this.catalogueSeq) return;
      this.catalogue.set(null);
      this.catalogueError.set(toApiError(err));
    }
  }

  protected add(kind: ItemKind): void {
    const d = newDraft(kind, this.catalogue(), this.drafts().filter((x) => x.kind === kind).length);
    this.form.controls.resources.push(this.fb.group({
      kind: [d.kind], name: [d.name, [Validators.required, Validators.pattern(NAME)]], count: [d.count, [Validators.required, Validators.min(1), Validators.max(20)]],
      flavour: [d.flavour, Validators.required], systemDiskGiB: [d.systemDiskGiB, [Validators.required, Validators.min(40)]],
      platform: [d.platform, kind === 'host' || kind === 'workload' ? Validators.required : []], image: [d.image, kind === 'host' || kind === 'workload' ? Validators.required : []],
      segment: [d.segment], replicas: [d.replicas, [Validators.required, Validators.min(1), Validators.max(50)]],
      sizeGiB: [d.sizeGiB, [Validators.required, Validators.min(10)]], host: [d.host, kind === 'volume' ? Validators.required : []],
      network: [d.network], ipv4Length: [d.ipv4Length, [Validators.required, Validators.min(24), Validators.max(28)]], dualStack: [d.dualStack],
      cidr: [d.cidr, Validators.pattern(CIDR)],
    }) as FormGroup);
  }

  protected remove(i: number): void {
    this.form.controls.resources.removeAt(i);
  }

  /** Images of the row's platform architecture. */
  protected imagesFor(platform: string): Catalogue['images'] {
    const arch = platform.split('/')[0] ?? '';
    return (this.catalogue()?.images ?? []).filter((i) => (i.arches as readonly string[]).includes(arch));
  }

  private ask() {
    const v = this.form.getRawValue();
    return { systemId: v.systemId ?? '', ...(v.cloudId ? { cloudId: v.cloudId } : {}), resources: (v.resources as ItemDraft[]).map(toItem) };
  }

  /** The server's answer to "would this fit": the quota check, the policies and the chain. Changes nothing. */
  protected async check(): Promise<void> {
    if (this.checking()) return;
    this.checking.set(true);
    this.submission.clear();
    try {
      this.preview.set(await this.api.requests.preview.query(this.ask()));
    } catch (err) {
      const { error, extra } = formError(this.form, err);
      this.submission.error.set(error);
      this.submission.extraErrors.set(applyFieldErrors(this.form, extra.map(onRowControl)));
    } finally {
      this.checking.set(false);
    }
  }

  protected async submit(): Promise<void> {
    const v = this.form.getRawValue();
    const done = await this.submission.run(() => this.api.requests.submit.mutate({ ...this.ask(), title: v.title, reason: v.reason }));
    if (done) return this.submitted.emit(done.id);
    this.submission.extraErrors.set(applyFieldErrors(this.form, this.submission.extraErrors().map(onRowControl)));
  }

  protected cloudLabel(c: Catalogue['clouds'][number]): string {
    const why = c.eligible ? '' : ` — ${c.reasons.map((r) => this.i18n.text(r)).join('；')}`;
    return `${c.name}${why}`;
  }
}
