import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { I18nService, Lang } from './i18n/i18n.service';

/** Each language is named in itself, so a reader who cannot read the other one finds theirs. */
@Component({
  selector: 'app-lang-switch',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, NzRadioModule],
  template: `
    <nz-radio-group
      nzSize="small"
      nzButtonStyle="solid"
      [ngModel]="i18n.lang()"
      (ngModelChange)="select($event)"
      aria-label="Language / 语言"
    >
      <label nz-radio-button nzValue="zh-CN" data-lang="zh-CN">中文</label>
      <label nz-radio-button nzValue="en" data-lang="en">English</label>
    </nz-radio-group>
  `,
})
export class LangSwitchComponent {
  protected readonly i18n = inject(I18nService);

  protected select(lang: Lang): void {
    this.i18n.setLang(lang);
  }
}
