import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { TranslatePipe } from './i18n/t.pipe';

/** A page's "read again" button (`button.refresh`): the reload icon and text, spinning while the page reads. */
@Component({
  selector: 'app-refresh-button',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzButtonModule, NzIconModule, TranslatePipe],
  template: `
    <button nz-button class="refresh" [nzLoading]="loading()" (click)="refresh.emit()">
      <nz-icon nzType="reload" />{{ 'common.refresh' | t }}
    </button>
  `,
  // The button stands in the page's toolbar as if written there.
  styles: `:host { display: contents; }`,
})
export class RefreshButtonComponent {
  readonly loading = input(false);
  readonly refresh = output<void>();
}
