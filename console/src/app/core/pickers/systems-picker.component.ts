import { ChangeDetectionStrategy, Component, forwardRef, inject, input, signal } from '@angular/core';
import { FormControl, NG_VALUE_ACCESSOR, ReactiveFormsModule, type ControlValueAccessor } from '@angular/forms';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../api-client';
import type { ApiInputs } from '../api-types';
import { I18nService } from '../i18n/i18n.service';
import { TranslatePipe } from '../i18n/t.pipe';
import { SystemPickerComponent, type SystemChoice } from './system-picker.component';

let nextId = 0;
type SystemStatus = NonNullable<Exclude<ApiInputs['systems']['list'], void | undefined>['status']>;

/**
 * Several business systems chosen with the shared server-searching picker (issue 18.5): the chosen ones as a
 * list, each with a button to remove it, and below them the one-system combobox (SystemPickerComponent) that
 * adds the system picked and empties itself for the next. A form control whose value is the chosen systems' ids
 * (in the order chosen); given ids, it shows their names.
 *
 * Label it as the one-system picker: `<label for="x">` with `inputId="x"` names the search input.
 */
@Component({
  selector: 'app-systems-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzTagModule, TranslatePipe, SystemPickerComponent],
  providers: [{ provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => SystemsPickerComponent), multi: true }],
  host: { class: 'systems-picker' },
  template: `
    @if (chosen().length) {
      <ul class="systems-picker-chosen" [attr.aria-label]="'picker.systems.chosen' | t">
        @for (s of chosen(); track s.id) {
          <li class="systems-picker-item" [attr.data-system]="s.id">
            <nz-tag>
              <span class="name">{{ s.name }}</span>
              <button type="button" class="systems-picker-remove" [disabled]="disabled()"
                      [attr.aria-label]="'picker.systems.remove' | t: { name: s.name }" (click)="remove(s.id)">×</button>
            </nz-tag>
          </li>
        }
      </ul>
    }
    <app-system-picker [inputId]="inputId()" [label]="label()" [placeholder]="placeholder() ?? ('picker.systems.placeholder' | t)"
                       [departmentId]="departmentId()" [status]="status()" [debounceMs]="debounceMs()"
                       [formControl]="adder" (picked)="add($event)" />
  `,
  styles: `
    :host { display: inline-flex; flex-direction: column; gap: 4px; min-width: 220px; vertical-align: middle; }
    .systems-picker-chosen { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px; }
    .systems-picker-remove { border: 0; background: none; padding: 0 0 0 4px; cursor: pointer; color: #595959; }
  `,
})
export class SystemsPickerComponent implements ControlValueAccessor {
  private readonly api = inject(API);
  private readonly i18n = inject(I18nService);

  readonly inputId = input<string>(`systems-picker-${++nextId}-input`);
  readonly label = input<string | null>(null);
  readonly placeholder = input<string | null>(null);
  readonly departmentId = input<string | null>(null);
  readonly status = input<SystemStatus | null>(null);
  readonly debounceMs = input(250);

  protected readonly chosen = signal<SystemChoice[]>([]);
  protected readonly disabled = signal(false);
  /** The one-system picker's own value: what is being added, emptied once added. */
  protected readonly adder = new FormControl<string | null>(null);

  /** Name lookups (writeValue) overtaken by a later value are dropped. */
  private lookup = 0;
  private onChange: (ids: string[]) => void = () => undefined;
  private onTouched: () => void = () => undefined;

  writeValue(ids: readonly string[] | null | undefined): void {
    const seq = ++this.lookup;
    const wanted = [...(ids ?? [])];
    const known = new Map(this.chosen().map((s) => [s.id, s]));
    this.chosen.set(wanted.map((id) => known.get(id) ?? { id, name: '…', departmentName: '' }));
    for (const id of wanted.filter((x) => !known.has(x))) {
      void this.api.systems.get.query({ id }).then(
        (s) => seq === this.lookup && this.named({ id, name: s.name, departmentName: s.departmentName }),
        () => seq === this.lookup && this.named({ id, name: this.i18n.t('picker.system.unreadable'), departmentName: '' }),
      );
    }
  }

  registerOnChange(fn: (ids: string[]) => void): void {
    this.onChange = fn;
  }

  registerOnTouched(fn: () => void): void {
    this.onTouched = fn;
  }

  setDisabledState(disabled: boolean): void {
    this.disabled.set(disabled);
    if (disabled) this.adder.disable({ emitEvent: false });
    else this.adder.enable({ emitEvent: false });
  }

  protected add(s: SystemChoice | null): void {
    if (!s) return;
    // Empty the search for the next system (after the picker has finished choosing).
    queueMicrotask(() => this.adder.setValue(null));
    this.onTouched();
    if (this.chosen().some((x) => x.id === s.id)) return;
    this.lookup++;
    this.chosen.update((list) => [...list, s]);
    this.onChange(this.chosen().map((x) => x.id));
  }

  protected remove(id: string): void {
    this.lookup++;
    this.chosen.update((list) => list.filter((s) => s.id !== id));
    this.onTouched();
    this.onChange(this.chosen().map((x) => x.id));
  }

  private named(s: SystemChoice): void {
    this.chosen.update((list) => list.map((x) => (x.id === s.id ? s : x)));
  }
}
