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
import { FieldComponent } from '../../core/field.component';
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
  imports: [ReactiveFormsModule, NzButtonModule, NzFormModule, NzInputModule, NzInputNumberModule, NzSelectModule, NzTableModule, ErrorAlertComponent, FieldComponent, TranslatePipe],
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
        <app-field label="ipam.tpl.level" for="tpl-level">
          <nz-select nzId="tpl-level" formControlName="unitLevel" style="width: 110px">
            @for (l of levels; track l) { <nz-option [nzValue]="l" [nzLabel]="'ipam.level.' + l | t" /> }
          </nz-select>
        </app-field>
        <app-field label="ipam.tpl.plane" for="tpl-plane"><input nz-input id="tpl-plane" formControlName="planeId" /></app-field>
        <app-field label="ipam.tpl.v4parent" for="tpl-v4-parent"><input nz-input id="tpl-v4-parent" formControlName="ipv4ParentId" /></app-field>
        <app-field label="ipam.tpl.v4len" for="tpl-v4-length"><nz-input-number nzId="tpl-v4-length" formControlName="ipv4Length" [nzMin]="1" [nzMax]="32" /></app-field>
        <app-field label="ipam.tpl.v6parent" for="tpl-v6-parent"><input nz-input id="tpl-v6-parent" formControlName="ipv6ParentId" /></app-field>
        <app-field label="ipam.tpl.v6len" for="tpl-v6-length"><nz-input-number nzId="tpl-v6-length" formControlName="ipv6Length" [nzMin]="1" [nzMax]="128" /></app-field>
        <app-field label="ipam.allocate.strategy" for="tpl-strategy">
          <nz-select nzId="tpl-strategy" formControlName="strategy" style="width: 200px">
            @for (s of strategies; track s) { <nz-option [nzValue]="s" [nzLabel]="'ipam.strategy.' + s | t" /> }
          </nz-select>
        </app-field>
        <button nz-button nzType="primary" type="submit" class="template-save" [nzLoading]="submission.saving()">{{ 'ipam.tpl.save' | t }}</button>
      </form>
    }
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
