import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { ErrorAlertComponent } from './error-alert.component';
import { TranslatePipe } from './i18n/t.pipe';
import type { RouteRecord } from './route-record';

/**
 * Why a detail page shows no record (a RouteRecord's refusal: forbidden, not found, or the read failed) in words,
 * with the refusal itself under it; nothing while the record is read.
 *
 *   <app-record-refusal [record]="record" />
 */
@Component({
  selector: 'app-record-refusal',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzAlertModule, ErrorAlertComponent, TranslatePipe],
  template: `
    @if (record().refusal(); as r) {
      <nz-alert class="refusal" nzType="error" nzShowIcon [nzMessage]="r | t" />
      <app-error-alert [error]="record().error()" />
    }
  `,
})
export class RecordRefusalComponent {
  readonly record = input.required<RouteRecord<unknown>>();
}
