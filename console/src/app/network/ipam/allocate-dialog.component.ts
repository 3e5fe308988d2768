import { ChangeDetectionStrategy, Component, effect, inject, input, output, untracked } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzMessageService } from 'ng-zorro-antd/message';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { ErrorAlertComponent } from '../../core/error-alert.component';
import { FieldComponent } from '../../core/field.component';
import { FormSubmission } from '../../core/form-submission';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { IpamApiService } from './ipam-api.service';
import { maxLength, prefixLength } from './ipam-format';
import { KINDS, STRATEGIES, type AllocatedPrefix, type PrefixKind, type PrefixNode, type Strategy } from './ipam-types';

/** "Allocate next" in a parent: open while `parent` is set; the server picks the block by the strategy. */
@Component({
  selector: 'app-ipam-allocate-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzButtonModule, NzFormModule, NzInputModule, NzInputNumberModule, NzModalModule, NzSelectModule, ErrorAlertComponent, FieldComponent, TranslatePipe],
  template: `
    <nz-modal [nzVisible]="parent() !== null" [nzTitle]="'ipam.allocate.title' | t: { cidr: parent()?.cidr ?? '' }" [nzMaskClosable]="false" (nzOnCancel)="closed.emit()">
      <ng-container *nzModalContent>
        <app-error-alert [error]="submission.error()" [extra]="submission.extraErrors()" />
        <form nz-form nzLayout="vertical" [formGroup]="form" (ngSubmit)="submit()">
          <app-field label="ipam.allocate.length" required>
            <nz-input-number formControlName="length" [nzMin]="minLen()" [nzMax]="maxLen()" [nzStep]="1" />
          </app-field>
          <app-field label="ipam.allocate.strategy">
            <nz-select formControlName="strategy">
              @for (s of strategies; track s) {
                <nz-option [nzValue]="s" [nzLabel]="'ipam.strategy.' + s | t" />
              }
            </nz-select>
          </app-field>
          <app-field label="ipam.allocate.kind">
            <nz-select formControlName="kind">
              @for (k of kinds; track k) {
                <nz-option [nzValue]="k" [nzLabel]="'ipam.kind.' + k | t" />
              }
            </nz-select>
          </app-field>
          <app-field label="ipam.allocate.unitCode">
            <input nz-input formControlName="unitCode" />
          </app-field>
          <app-field label="ipam.allocate.planeId">
            <input nz-input formControlName="planeId" />
          </app-field>
          <button type="submit" hidden></button>
        </form>
      </ng-container>
      <ng-container *nzModalFooter>
        <button nz-button type="button" (click)="closed.emit()">{{ 'common.cancel' | t }}</button>
        <button nz-button nzType="primary" type="button" class="allocate-submit" [nzLoading]="submission.saving()" (click)="submit()">
          {{ 'ipam.allocate.submit' | t }}
        </button>
      </ng-container>
    </nz-modal>
  `,
})
export class AllocateDialogComponent {
  private readonly api = inject(IpamApiService);
  private readonly message = inject(NzMessageService);
  private readonly i18n = inject(I18nService);

  readonly parent = input<PrefixNode | null>(null);
  readonly closed = output<void>();
  readonly allocated = output<AllocatedPrefix>();

  protected readonly strategies = STRATEGIES;
  protected readonly kinds = KINDS;
  protected readonly form = inject(NonNullableFormBuilder).group({
    length: [64, Validators.required],
    strategy: ['first-fit' as Strategy],
    kind: ['assigned' as PrefixKind],
    unitCode: [''],
    planeId: [''],
  });
  protected readonly submission = new FormSubmission(this.form);
  protected readonly minLen = () => (this.parent() ? prefixLength(this.parent()!.cidr) + 1 : 1);
  protected readonly maxLen = () => (this.parent() ? maxLength(this.parent()!.cidr) : 128);

  constructor() {
    effect(() => {
      const p = this.parent();
      if (!p) return;
      untracked(() => {
        // A sensible first guess: a /64 in IPv6, a /30 point-to-point in IPv4 (never shorter than the parent allows).
        const guess = Math.max(prefixLength(p.cidr) + 1, p.cidr.includes(':') ? 64 : 30);
        this.form.reset({ length: Math.min(guess, maxLength(p.cidr)), strategy: 'first-fit', kind: 'assigned', unitCode: '', planeId: '' });
        this.submission.clear();
      });
    });
  }

  protected async submit(): Promise<void> {
    const parent = this.parent();
    if (!parent) return;
    const v = this.form.getRawValue();
    const result = await this.submission.run(() =>
      this.api.allocatePrefix({
        parentId: parent.id, length: Number(v.length), strategy: v.strategy, kind: v.kind,
        unitCode: v.unitCode.trim() || null, planeId: v.planeId.trim() || null,
      }),
    );
    if (!result) return;
    this.message.success(this.i18n.t('ipam.allocate.done', { cidr: result.cidr }));
    this.allocated.emit(result);
  }
}
