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
    <app-form-dialog [open]="open()" [title]="title()" [submission]="submission" [initial]="initial()" (save)="submit()" (closed)="closed.emit()">
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
          @switch (resource()?.kind) {
            @case ('host') {
              <app-field label="resources.flavour" field="change.flavour" labelSpan="7" span="16">
                <nz-select class="flavour" formControlName="flavour">
                  @for (f of flavours; track f) { <nz-option [nzValue]="f" [nzLabel]="f" /> }
                </nz-select>
              </app-field>
              <app-field label="resources.systemDiskGiB" field="change.systemDiskGiB" labelSpan="7" span="16">
                <nz-input-number class="system-disk" formControlName="systemDiskGiB" [nzMin]="40" [nzMax]="2048" />
              </app-field>
            }
            @case ('workload') {
              <app-field label="resources.flavour" field="change.size" labelSpan="7" span="16">
                <nz-select class="size" formControlName="size">
                  @for (f of flavours; track f) { <nz-option [nzValue]="f" [nzLabel]="f" /> }
                </nz-select>
              </app-field>
              <app-field label="resources.replicas" field="change.replicas" labelSpan="7" span="16">
                <nz-input-number class="replicas" formControlName="replicas" [nzMin]="1" [nzMax]="50" />
              </app-field>
            }
            @case ('volume') {
              <app-field label="resources.sizeGiB" field="change.sizeGiB" labelSpan="7" span="16">
                <nz-input-number class="size-gib" formControlName="sizeGiB" [nzMin]="10" [nzMax]="32768" />
              </app-field>
            }
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

  readonly open = input.required<boolean>();
  readonly action = input.required<ChangeAction>();
  readonly resource = input<Resource | null>(null);
  readonly submitted = output<string>();
  readonly closed = output<void>();

  protected readonly flavours = FLAVOURS;
  protected readonly title = computed(() => `${this.i18n.t(TITLES[this.action()])} ${this.resource()?.name ?? ''}`);
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
    if (!resource) return;
    const v = this.form.getRawValue();
    const action = this.action();
    const change: Change = action === 'release' ? { action: 'release' } : action === 'add-addresses' ? { action: 'add-addresses', ipv4: v.ipv4, ipv6: v.ipv6 } : {
      action: 'resize',
      ...(resource.kind === 'host' ? { ...(v.flavour ? { flavour: v.flavour as never } : {}), ...(v.systemDiskGiB ? { systemDiskGiB: v.systemDiskGiB } : {}) } : {}),
      ...(resource.kind === 'workload' ? { ...(v.size ? { size: v.size as never } : {}), ...(v.replicas ? { replicas: v.replicas } : {}) } : {}),
      ...(resource.kind === 'volume' && v.sizeGiB ? { sizeGiB: v.sizeGiB } : {}),
    };
    const done = await this.submission.run(() => this.api.resources.submitChange.mutate({ resourceId: resource.id, change, reason: v.reason }));
    if (done) this.submitted.emit(done.id);
  }
}
