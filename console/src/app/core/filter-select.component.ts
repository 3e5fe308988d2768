import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { I18nService } from './i18n/i18n.service';
import { TranslatePipe } from './i18n/t.pipe';

/** An option as the filter shows it; a bare value is shown as the translation of `optionKey` + value. */
export type FilterOption<T> = T | { value: T; label: string };

/**
 * A list page's filter: a clearable nz-select whose placeholder says what it filters, named for screen readers by
 * a visually hidden <label for>, bound to the page's FormControl (null: no filter).
 *
 *   <app-filter-select inputId="clouds-kind-filter" selectClass="filter-kind" label="clouds.filterKind"
 *                      width="140px" [control]="kindCtl" [options]="kinds" optionKey="cloud.kind." />
 */
@Component({
  selector: 'app-filter-select',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzSelectModule, TranslatePipe],
  template: `
    <label class="sr-only" [for]="inputId()">{{ label() | t }}</label>
    <nz-select
      [class]="selectClass()"
      [nzId]="inputId()"
      [style.width]="width()"
      nzAllowClear
      [nzShowSearch]="search()"
      [nzPlaceHolder]="label() | t"
      [formControl]="control()"
    >
      @for (o of items(); track o.value) {
        <nz-option [nzValue]="o.value" [nzLabel]="o.label" />
      }
    </nz-select>
  `,
  styles: `
    :host {
      display: contents;
    }
  `,
})
export class FilterSelectComponent<T extends string | number> {
  private readonly i18n = inject(I18nService);

  readonly inputId = input.required<string>();
  /** Translation key of what it filters by: the hidden label and the placeholder. */
  readonly label = input.required<string>();
  readonly control = input.required<FormControl<T | null>>();
  readonly options = input.required<readonly FilterOption<T>[]>();
  /** Prefix of the translation key of a bare option value. */
  readonly optionKey = input('');
  readonly selectClass = input('');
  readonly width = input('160px');
  readonly search = input(false);

  protected readonly items = computed(() => {
    this.i18n.lang();
    const key = this.optionKey();
    return this.options().map((o) =>
      typeof o === 'object' ? o : { value: o, label: this.i18n.t(`${key}${o}`) },
    );
  });
}
