import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTabsModule } from 'ng-zorro-antd/tabs';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { ApiError, toApiError } from '../../core/api-error';
import { ErrorAlertComponent } from '../../core/error-alert.component';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { IpamApiService } from './ipam-api.service';
import type { Vrf } from './ipam-types';
import { PrefixImportComponent } from './prefix-import.component';
import { PrefixTreeComponent } from './prefix-tree.component';
import { TemplatesComponent } from './templates.component';
import { UnitPairComponent } from './unit-pair.component';

/** IPAM: the prefix tree of a chosen VRF, the VRFs (address spaces), CSV import and export. */
@Component({
  selector: 'app-ipam',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzSelectModule, NzTableModule, NzTabsModule, NzTagModule, ErrorAlertComponent, TranslatePipe, PrefixTreeComponent, PrefixImportComponent, UnitPairComponent, TemplatesComponent],
  template: `
    <h2>{{ 'ipam.title' | t }}</h2>
    <app-error-alert [error]="error()" />
    <nz-tabs>
      <nz-tab [nzTitle]="'ipam.tab.prefixes' | t">
        <label for="ipam-vrf" class="vrf-label" style="margin-right: 8px">{{ 'ipam.vrf' | t }}</label>
        <nz-select nzId="ipam-vrf" class="vrf-select" style="min-width: 240px" [nzPlaceHolder]="'ipam.vrf.choose' | t" [formControl]="vrfCtl">
          @for (v of vrfs(); track v.id) {
            <nz-option [nzValue]="v.id" [nzLabel]="v.name" />
          }
        </nz-select>
        <app-ipam-prefix-tree [vrfId]="vrfId()" />
      </nz-tab>
      <nz-tab [nzTitle]="'ipam.tab.vrfs' | t">
        <nz-table #vt [nzData]="vrfs()" nzSize="small" [nzPageSize]="50" class="vrfs">
          <thead>
            <tr>
              <th>{{ 'ipam.vrfs.name' | t }}</th><th>{{ 'ipam.vrfs.kind' | t }}</th><th>{{ 'ipam.vrfs.rd' | t }}</th>
              <th>{{ 'ipam.vrfs.targets' | t }}</th><th>{{ 'ipam.vrfs.plane' | t }}</th><th>{{ 'ipam.vrfs.migration' | t }}</th>
            </tr>
          </thead>
          <tbody>
            @for (v of vt.data; track v.id) {
              <tr class="vrf-row">
                <td>{{ v.name }}</td>
                <td><nz-tag>{{ 'ipam.vrfs.kind.' + v.kind | t }}</nz-tag></td>
                <td><code>{{ v.rd ?? '' }}</code></td>
                <td><code>{{ v.importTargets.join(', ') }}</code> / <code>{{ v.exportTargets.join(', ') }}</code></td>
                <td>{{ v.planeId ?? '' }}</td>
                <td>{{ v.migrationState ? ('ipam.vrfs.migration.' + v.migrationState | t) : '' }}</td>
              </tr>
            }
          </tbody>
        </nz-table>
      </nz-tab>
      <nz-tab [nzTitle]="'ipam.tab.pair' | t">
        <app-ipam-unit-pair />
        <app-ipam-templates />
      </nz-tab>
      <nz-tab [nzTitle]="'ipam.tab.import' | t">
        <app-ipam-prefix-import />
      </nz-tab>
    </nz-tabs>
  `,
})
export class IpamComponent implements OnInit {
  private readonly api = inject(IpamApiService);
  private readonly tasks = inject(PendingTasks);

  protected readonly vrfs = signal<Vrf[]>([]);
  protected readonly vrfCtl = new FormControl<string | null>(null);
  protected readonly vrfId = toSignal(this.vrfCtl.valueChanges, { initialValue: null });
  protected readonly error = signal<ApiError | null>(null);

  ngOnInit(): void {
    void this.tasks.run(async () => {
      try {
        const { items } = await this.api.vrfs();
        this.vrfs.set(items);
        if (items.length && !this.vrfId()) this.vrfCtl.setValue(items[0]!.id);
      } catch (err) {
        this.error.set(toApiError(err));
      }
    });
  }
}
