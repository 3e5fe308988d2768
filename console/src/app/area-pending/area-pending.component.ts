import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzResultModule } from 'ng-zorro-antd/result';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';

/**
 * One honest page for every nav area this release does not build yet: it says the area
 * comes later, shows no made-up data and offers no dead controls.
 */
@Component({
  selector: 'app-area-pending',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, NzButtonModule, NzResultModule, TranslatePipe],
  template: `
    <nz-result
      nzStatus="info"
      [nzTitle]="'area.pending.title' | t: { area: i18n.t(labelKey()) }"
      [nzSubTitle]="'area.pending.body' | t"
    >
      <div nz-result-extra>
        <a nz-button nzType="primary" routerLink="/">{{ 'area.pending.back' | t }}</a>
      </div>
    </nz-result>
  `,
})
export class AreaPendingComponent {
  protected readonly i18n = inject(I18nService);
  /** Bound from the route's `data.labelKey` (withComponentInputBinding). */
  readonly labelKey = input.required<string>();
}
