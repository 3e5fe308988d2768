import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { NonNullableFormBuilder, Validators } from '@angular/forms';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { API } from '../core/api-client';
import type { ApiInputs, ApiOutputs } from '../core/api-types';
import { FORM_DIALOG_IMPORTS } from '../core/form-dialog.component';
import { FormSubmission } from '../core/form-submission';
import { I18nService } from '../core/i18n/i18n.service';

export type Resource = ApiOutputs['resources']['list']['items'][number];
type Change = ApiInputs['resources']['submitChange']['change'];
/** What the dialog asks for: a resize, a release, or more addresses from the resource's segment. */
export type ChangeAction = 'resize' | 'release' | 'add-addresses';

/** The catalogue's flavours (vCPU × memory GiB), as the server's request items list them. */
const TITLES: Record<ChangeAction, string> = { resize: 'resources.resize', release: 'resources.release', 'add-addresses': 'resources.addAddresses' };

export const FLAVOURS = ['c1m2', 'c1m4', 'c2m4', 'c2m8', 'c4m8', 'c4m16', 'c8m16', 'c8m32', 'c8m64', 'c16m32', 'c16m64', 'c32m64', 'c32m128'] as const;

type SizeControl = 'flavour' | 'systemDiskGiB' | 'size' | 'replicas' | 'sizeGiB';
/** One size a resize may change: a choice of flavours, or a number between bounds; `cls` is the control's class. */
type SizeField = { control: SizeControl; label: string; cls: string } & ({ flavours: true; min?: never; max?: never } | { flavours?: never; min: number; max: number });

/** What a resize changes of each kind (the server names a field by `change.<control>`). */
const SIZE_FIELDS: Partial<Record<string, readonly SizeField[]>> = {
  host: [
    { control: 'flavour', label: 'resources.flavour', cls: 'flavour', flavours: true },
    { control: 'systemDiskGiB', label: 'resources.systemDiskGiB', cls: 'system-disk', min: 40, max: 2048 },
  ],
  workload: [
    { control: 'size', label: 'resources.flavour', cls: 'size', flavours: true },
    { control: 'replicas', label: 'resources.replicas', cls: 'replicas', min: 1, max: 50 },
  ],
  volume: [{ control: 'sizeGiB', label: 'resources.sizeGiB', cls: 'size-gib', min: 10, max: 32768 }],
};

/**
 * Resize or release one resource: a change request through the approval chain. Only the fields the kind has
 * are shown (a host's flavour and system disk, a workload's size and replicas, a volume's size); the server
 * checks the rest and its refusal shows beside the field it names (`change.flavour` → the flavour field).
 */
@Component({
  selector: 'app-resource-change-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FORM_DIALOG_IMPORTS, NzAlertModule, NzInputNumberModule, NzSelectModule],
  template: `
    <app-form-dialog [open]="action() !== null" [title]="title()" [submission]="submission" [initial]="initial()" (save)="submit()" (closed)="closed.emit()">
      <ng-container [formGroup]="form">
        @if (action() === 'release') {
          <nz-alert class="release-warning" nzType="warning" [nzMessage]="'resources.releaseWarning' | t" />
        } @else if (action() === 'add-addresses') {
          <app-field label="resources.ipv4Count" for="change-ipv4" field="change.ipv4" labelSpan="7" span="16">
            <nz-input-number nzId="change-ipv4" class="ipv4-count" formControlName="ipv4" [nzMin]="0" [nzMax]="16" />
          </app-field>
          <app-field label="resources.ipv6Count" for="change-ipv6" field="change.ipv6" labelSpan="7" span="16">
            <nz-input-number nzId="change-ipv6" class="ipv6-count" formControlName="ipv6" [nzMin]="0" [nzMax]="16" />
          </app-field>
        } @else {
          @for (f of sizeFields(); track f.control) {
            <app-field [label]="f.label" [field]="'change.' + f.control" labelSpan="7" span="16">
              @if (f.flavours) {
                <nz-select [class]="f.cls" [formControlName]="f.control">
                  @for (fl of flavours; track fl) { <nz-option [nzValue]="fl" [nzLabel]="fl" /> }
                </nz-select>
              } @else {
                <nz-input-number [class]="f.cls" [formControlName]="f.control" [nzMin]="f.min" [nzMax]="f.max" />
              }
            </app-field>
          }
        }
        <app-field label="resources.reason" for="change-reason" required labelSpan="7" span="16">
          <textarea nz-input id="change-reason" class="reason" formControlName="reason" rows="2"></textarea>
        </app-field>
      </ng-container>
    </app-form-dialog>
  `,
})
export class ChangeDialogComponent {
  private readonly api = inject(API);
  private readonly i18n = inject(I18nService);

  /** Open while set: what the dialog asks for. */
  readonly action = input<ChangeAction | null>(null);
  readonly resource = input<Resource | null>(null);
  readonly submitted = output<string>();
  readonly closed = output<void>();

  protected readonly flavours = FLAVOURS;
  protected readonly sizeFields = computed(() => SIZE_FIELDS[this.resource()?.kind ?? ''] ?? []);
  protected readonly title = computed(() => {
    const action = this.action();
    return action ? `${this.i18n.t(TITLES[action])} ${this.resource()?.name ?? ''}` : '';
  });
  protected readonly form = inject(NonNullableFormBuilder).group({
    flavour: [null as string | null], systemDiskGiB: [null as number | null], size: [null as string | null], replicas: [null as number | null], sizeGiB: [null as number | null],
    ipv4: [1, [Validators.min(0), Validators.max(16)]], ipv6: [0, [Validators.min(0), Validators.max(16)]],
    reason: ['', [Validators.required, Validators.minLength(2)]],
  });
  protected readonly submission = new FormSubmission(this.form);
  /** The resource's current size, so a resize starts from what it is. */
  protected readonly initial = computed(() => {
    const spec = (this.resource()?.spec ?? {}) as Record<string, unknown>;
    const pick = <T>(k: string) => (spec[k] as T | undefined) ?? null;
    return { flavour: pick<string>('flavour'), systemDiskGiB: pick<number>('systemDiskGiB'), size: pick<string>('size'), replicas: pick<number>('replicas'), sizeGiB: pick<number>('sizeGiB'), ipv4: 1, ipv6: 0, reason: '' };
  });

  protected async submit(): Promise<void> {
    const resource = this.resource();
    const action = this.action();
    if (!resource || !action) return;
    const v = this.form.getRawValue();
    // A resize sends the sizes of the resource's kind that are set.
    const sizes = Object.fromEntries(this.sizeFields().flatMap((f) => (v[f.control] ? [[f.control, v[f.control]]] : [])));
    const change: Change = action === 'release' ? { action: 'release' } : action === 'add-addresses' ? { action: 'add-addresses', ipv4: v.ipv4, ipv6: v.ipv6 } : ({ action: 'resize', ...sizes } as Change);
    const done = await this.submission.run(() => this.api.resources.submitChange.mutate({ resourceId: resource.id, change, reason: v.reason }));
    if (done) this.submitted.emit(done.id);
  }
}
