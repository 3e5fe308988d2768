import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { NzCardModule } from 'ng-zorro-antd/card';
import type { ApiError } from '../core/api-error';
import { ErrorTextPipe } from '../core/error-text';
import { TranslatePipe } from '../core/i18n/t.pipe';

/**
 * One panel of the overview: a card with its title (and a count when the panel has one), a link to the page
 * it summarises, the panel's own load error, and what the panel shows (projected). The overview page places
 * it (`class="panel panel-alarms"`, `wide` to span the grid) and says what it holds; the frame is the same for all.
 */
@Component({
  selector: 'app-overview-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, NzCardModule, ErrorTextPipe, TranslatePipe],
  template: `
    <nz-card [nzTitle]="titleTpl" [nzExtra]="linkTpl">
      <ng-template #titleTpl>
        <h2 class="panel-title">
          {{ heading() | t }}
          @if (badge() !== undefined) {
            <span class="badge-n">{{ badge() }}</span>
          }
        </h2>
      </ng-template>
      <ng-template #linkTpl><a [routerLink]="link()">{{ linkText() | t }}</a></ng-template>
      @if (error(); as e) {
        <p class="panel-error" role="alert">{{ 'overview.loadFailed' | t: { message: e | errorText } }}</p>
      }
      <ng-content />
    </nz-card>
  `,
  styles: `
    :host { display: block; }
    nz-card { height: 100%; }
    .panel-title { font-size: 16px; margin: 0; display: inline-flex; align-items: center; gap: 8px; }
    .badge-n { background: #a8071a; color: #fff; border-radius: 10px; padding: 0 8px; font-size: 13px; }
    .panel-error { color: #a8071a; }
  `,
})
export class OverviewPanelComponent {
  /** The title's i18n key. */
  readonly heading = input.required<string>();
  /** The page the panel summarises. */
  readonly link = input.required<string>();
  /** The link's i18n key. */
  readonly linkText = input('overview.open');
  /** A count shown beside the title (what the panel lists of it may be fewer); none when undefined. */
  readonly badge = input<number | undefined>(undefined);
  /** Why the panel's read failed, if it did; the rest of the panel stays as it was. */
  readonly error = input<ApiError | undefined>(undefined);
}
