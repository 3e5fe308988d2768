import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { I18nService } from '../core/i18n/i18n.service';
import type { PrecheckLine } from './prechecks';

/** Each system's prechecks with the reason of each (passed or not). */
@Component({
  selector: 'app-mig-precheck-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzTagModule],
  template: `
    <ul class="prechecks">
      @for (s of lines(); track s.candidateId) {
        <li [attr.data-system]="s.candidateId">
          <strong>{{ s.systemName }}</strong>
          <ul>
            @for (v of s.verdicts; track v.check) {
              <li class="verdict" [class.failed]="!v.ok" [attr.data-check]="v.check">
                <nz-tag [nzColor]="v.ok ? 'green' : 'red'">{{ v.ok ? '✓' : '✗' }} {{ v.check }}</nz-tag>
                <span class="reason">{{ i18n.text(v) }}</span>
              </li>
            }
          </ul>
        </li>
      }
    </ul>
  `,
  styles: `
    .prechecks { list-style: none; padding: 0; margin: 8px 0 0; }
    .prechecks ul { list-style: none; padding-left: 8px; margin: 4px 0; }
    .verdict { margin-bottom: 2px; }
  `,
})
export class PrecheckListComponent {
  protected readonly i18n = inject(I18nService);
  readonly lines = input<readonly PrecheckLine[]>([]);
}
