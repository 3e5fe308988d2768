import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzMessageService } from 'ng-zorro-antd/message';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { ErrorAlertComponent } from '../../core/error-alert.component';
import { FieldErrorPipe } from '../../core/field-error.pipe';
import { FormSubmission } from '../../core/form-submission';
import { I18nService } from '../../core/i18n/i18n.service';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { SessionStore } from '../../core/session';
import { IpamApiService } from './ipam-api.service';
import { STRATEGIES, UNIT_LEVELS, type Strategy, type Template, type UnitLevel } from './ipam-types';

/** The prefix lengths a unit of each level gets on each plane (paired IPv4 + IPv6 allocation), and where from. */
@Component({
  selector: 'app-ipam-templates',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzButtonModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTableModule, ErrorAlertComponent, FieldErrorPipe, TranslatePipe],
  template: `
    <h4>{{ 'ipam.tpl.title' | t }}</h4>
    <nz-table #tt [nzData]="items()" nzSize="small" [nzShowPagination]="false" class="templates">
      <thead>
        <tr><th>{{ 'ipam.tpl.level' | t }}</th><th>{{ 'ipam.tpl.plane' | t }}</th><th>IPv4</th><th>IPv6</th><th>{{ 'ipam.allocate.strategy' | t }}</th></tr>
      </thead>
      <tbody>
        @for (x of tt.data; track x.id) {
          <tr class="template-row"><td>{{ 'ipam.level.' + x.unitLevel | t }}</td><td>{{ x.planeId }}</td><td>/{{ x.ipv4Length }}</td><td>/{{ x.ipv6Length }}</td><td>{{ 'ipam.strategy.' + x.strategy | t }}</td></tr>
        }
      </tbody>
    </nz-table>
    @if (canWrite()) {
      <app-error-alert [error]="submission.error()" [extra]="submission.extraErrors()" />
      <form nz-form nzLayout="inline" [formGroup]="form" (ngSubmit)="save()" class="template-form">
        <nz-form-item><nz-form-label>{{ 'ipam.tpl.level' | t }}</nz-form-label><nz-form-control data-field="unitLevel">
          <nz-select formControlName="unitLevel" style="width: 110px">
            @for (l of levels; track l) { <nz-option [nzValue]="l" [nzLabel]="'ipam.level.' + l | t" /> }
          </nz-select></nz-form-control></nz-form-item>
        <nz-form-item><nz-form-label>{{ 'ipam.tpl.plane' | t }}</nz-form-label><nz-form-control [nzErrorTip]="tip" data-field="planeId"><input nz-input formControlName="planeId" /></nz-form-control></nz-form-item>
        <nz-form-item><nz-form-label>{{ 'ipam.tpl.v4parent' | t }}</nz-form-label><nz-form-control [nzErrorTip]="tip" data-field="ipv4ParentId"><input nz-input formControlName="ipv4ParentId" /></nz-form-control></nz-form-item>
        <nz-form-item><nz-form-label>{{ 'ipam.tpl.v4len' | t }}</nz-form-label><nz-form-control [nzErrorTip]="tip" data-field="ipv4Length"><nz-input-number formControlName="ipv4Length" [nzMin]="1" [nzMax]="32" /></nz-form-control></nz-form-item>
        <nz-form-item><nz-form-label>{{ 'ipam.tpl.v6parent' | t }}</nz-form-label><nz-form-control [nzErrorTip]="tip" data-field="ipv6ParentId"><input nz-input formControlName="ipv6ParentId" /></nz-form-control></nz-form-item>
        <nz-form-item><nz-form-label>{{ 'ipam.tpl.v6len' | t }}</nz-form-label><nz-form-control [nzErrorTip]="tip" data-field="ipv6Length"><nz-input-number formControlName="ipv6Length" [nzMin]="1" [nzMax]="128" /></nz-form-control></nz-form-item>
        <nz-form-item><nz-form-label>{{ 'ipam.allocate.strategy' | t }}</nz-form-label><nz-form-control data-field="strategy">
          <nz-select formControlName="strategy" style="width: 200px">
            @for (s of strategies; track s) { <nz-option [nzValue]="s" [nzLabel]="'ipam.strategy.' + s | t" /> }
          </nz-select></nz-form-control></nz-form-item>
        <button nz-button nzType="primary" type="submit" class="template-save" [nzLoading]="submission.saving()">{{ 'ipam.tpl.save' | t }}</button>
      </form>
    }
    <ng-template #tip let-control>{{ control | fieldError }}</ng-template>
  `,
})
export class TemplatesComponent implements OnInit {
  private readonly api = inject(IpamApiService);
  private readonly tasks = inject(PendingTasks);
  private readonly session = inject(SessionStore);
  private readonly message = inject(NzMessageService);
  private readonly i18n = inject(I18nService);

  protected readonly levels = UNIT_LEVELS;
  protected readonly strategies = STRATEGIES;
  protected readonly items = signal<Template[]>([]);
  protected readonly canWrite = () => this.session.hasAnyRole(['admin', 'network-engineer']);
  protected readonly form = inject(NonNullableFormBuilder).group({
    unitLevel: ['township' as UnitLevel],
    planeId: ['plane-1', Validators.required],
    ipv4ParentId: ['', Validators.required],
    ipv4Length: [29, Validators.required],
    ipv6ParentId: ['', Validators.required],
    ipv6Length: [64, Validators.required],
    strategy: ['first-fit' as Strategy],
  });
  protected readonly submission = new FormSubmission(this.form);

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  private async load(): Promise<void> {
    this.items.set((await this.api.templates().catch(() => ({ items: [] as Template[] }))).items);
  }

  protected async save(): Promise<void> {
    const v = this.form.getRawValue();
    const saved = await this.submission.run(() => this.api.setTemplate({ ...v, ipv4Length: Number(v.ipv4Length), ipv6Length: Number(v.ipv6Length), ipv4ParentId: v.ipv4ParentId.trim(), ipv6ParentId: v.ipv6ParentId.trim() }));
    if (!saved) return;
    this.message.success(this.i18n.t('ipam.tpl.saved'));
    await this.load();
  }
}
