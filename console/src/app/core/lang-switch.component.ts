import { ChangeDetectionStrategy, Component, effect, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { NzRadioModule } from 'ng-zorro-antd/radio';
import { I18nService, Lang } from './i18n/i18n.service';

/** Each language is named in itself, so a reader who cannot read the other one finds theirs. */
@Component({
  selector: 'app-lang-switch',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzRadioModule],
  template: `
    <nz-radio-group
      nzSize="small"
      nzButtonStyle="solid"
      [formControl]="langCtl"
      aria-label="Language / 语言"
    >
      <label nz-radio-button nzValue="zh-CN" data-lang="zh-CN">中文</label>
      <label nz-radio-button nzValue="en" data-lang="en">English</label>
    </nz-radio-group>
  `,
})
export class LangSwitchComponent {
  protected readonly i18n = inject(I18nService);
  protected readonly langCtl = new FormControl<Lang>(this.i18n.lang(), { nonNullable: true });

  constructor() {
    this.langCtl.valueChanges.pipe(takeUntilDestroyed()).subscribe((lang) => this.i18n.setLang(lang));
    // The language can change elsewhere (another switch, a stored choice): the buttons follow.
    effect(() => this.langCtl.setValue(this.i18n.lang(), { emitEvent: false }));
  }
}
