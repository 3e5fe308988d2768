import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { ErrorAlertComponent } from '../../core/error-alert.component';
import { FieldErrorPipe } from '../../core/field-error.pipe';
import { FormSubmission } from '../../core/form-submission';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { IpamApiService } from './ipam-api.service';
import type { AllocatedPair } from './ipam-types';

/** Paired IPv4 + IPv6 allocation for one access unit on one plane, from the level's template. */
@Component({
  selector: 'app-ipam-unit-pair',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzAlertModule, NzButtonModule, NzFormModule, NzInputModule, ErrorAlertComponent, FieldErrorPipe, TranslatePipe],
  template: `
    <p class="hint">{{ 'ipam.pair.hint' | t }}</p>
    <app-error-alert [error]="submission.error()" [extra]="submission.extraErrors()" />
    <form nz-form nzLayout="inline" [formGroup]="form" (ngSubmit)="submit()">
      <nz-form-item>
        <nz-form-label nzRequired>{{ 'ipam.pair.unitCode' | t }}</nz-form-label>
        <nz-form-control [nzErrorTip]="tip" data-field="unitCode"><input nz-input formControlName="unitCode" /></nz-form-control>
      </nz-form-item>
      <nz-form-item>
        <nz-form-label nzRequired>{{ 'ipam.pair.planeId' | t }}</nz-form-label>
        <nz-form-control [nzErrorTip]="tip" data-field="planeId"><input nz-input formControlName="planeId" /></nz-form-control>
      </nz-form-item>
      <button nz-button nzType="primary" type="submit" class="pair-submit" [nzLoading]="submission.saving()">{{ 'ipam.pair.submit' | t }}</button>
    </form>
    @if (pair(); as p) {
      <nz-alert class="pair-result" nzType="success" nzShowIcon [nzMessage]="p.ipv4.cidr + '  ·  ' + p.ipv6.cidr" [nzDescription]="p.replayed ? ('ipam.pair.replayed' | t) : ''" />
    }
    <ng-template #tip let-control>{{ control | fieldError }}</ng-template>
  `,
})
export class UnitPairComponent {
  private readonly api = inject(IpamApiService);
  protected readonly form = inject(NonNullableFormBuilder).group({
    unitCode: ['', Validators.required],
    planeId: ['plane-1', Validators.required],
  });
  protected readonly submission = new FormSubmission(this.form);
  protected readonly pair = signal<AllocatedPair | null>(null);

  protected async submit(): Promise<void> {
    const v = this.form.getRawValue();
    this.pair.set(null);
    const result = await this.submission.run(() => this.api.allocatePair(v.unitCode.trim(), v.planeId.trim()));
    if (result) this.pair.set(result);
  }
}
