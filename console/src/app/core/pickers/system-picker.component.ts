import { ChangeDetectionStrategy, Component, DestroyRef, computed, forwardRef, inject, input, output, signal } from '@angular/core';
import { NG_VALUE_ACCESSOR, type ControlValueAccessor } from '@angular/forms';
import { NzInputModule } from 'ng-zorro-antd/input';
import { API } from '../api-client';
import type { ApiInputs } from '../api-types';
import { errorText } from '../error-text';
import { I18nService } from '../i18n/i18n.service';
import { TranslatePipe } from '../i18n/t.pipe';
import { PagedList } from '../paged-list';

/** What a person needs to tell one system from another: its name and its department's, never its id. */
export interface SystemChoice {
  id: string;
  name: string;
  departmentName: string;
}

type SystemStatus = NonNullable<Exclude<ApiInputs['systems']['list'], void | undefined>['status']>;

/** A page of matches: enough to pick from, small enough to answer in a few milliseconds out of 100,000 systems. */
const PAGE = 20;
let nextId = 0;

/**
 * The one way the console chooses an existing business system (issue 18.5): a combobox (WAI-ARIA 1.2 pattern:
 * an input with role="combobox" owning a listbox) that searches on the server as the person types, through
 * `systems.list` with `search`, in the caller's department scope. A form control (ControlValueAccessor): its
 * value is the system's id, or null for none; given an id, it shows that system's name.
 *
 * - Typing waits `debounceMs` before asking, and only the latest answer is shown (PagedList drops answers to a
 *   search overtaken by a later one), so a slow reply for "公" never replaces the reply for "公积金".
 * - ArrowDown/ArrowUp move through the matches, Enter chooses, Escape closes and puts back the chosen name,
 *   Home/End jump; leaving the field without choosing keeps the previous choice (or clears it if emptied).
 * - A live region says how many matched, or that nothing did, in the page's language.
 *
 * Label it as any input: `<label for="x">` with `inputId="x"`, or `label` for an aria-label.
 */
@Component({
  selector: 'app-system-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzInputModule, TranslatePipe],
  providers: [{ provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => SystemPickerComponent), multi: true }],
  host: { class: 'system-picker' },
  template: `
    <input
      nz-input
      #box
      type="text"
      role="combobox"
      autocomplete="off"
      aria-autocomplete="list"
      class="system-picker-input"
      [id]="inputId()"
      [attr.aria-label]="label()"
      [attr.aria-expanded]="listShown()"
      [attr.aria-controls]="listShown() ? listId : null"
      [attr.aria-activedescendant]="activeOptionId()"
      [attr.aria-describedby]="statusId"
      [placeholder]="placeholder() ?? ('picker.system.placeholder' | t)"
      [value]="text()"
      [disabled]="disabled()"
      (input)="typed(box.value)"
      (keydown)="key($event)"
      (click)="openList()"
      (blur)="left()"
    />
    @if (chosen(); as c) {
      <span class="system-picker-department">{{ c.departmentName }}</span>
    }
    @if (open()) {
      <div class="system-picker-panel">
        @if (listShown()) {
          <ul role="listbox" class="system-picker-list" [id]="listId" [attr.aria-label]="label() ?? ('picker.system.label' | t)">
            @for (s of results.items(); track s.id; let i = $index) {
              <li
                role="option"
                class="system-picker-option"
                [id]="optionId(i)"
                [class.active]="i === active()"
                [class.chosen]="s.id === chosen()?.id"
                [attr.aria-selected]="i === active()"
                [attr.data-system]="s.id"
                (mousedown)="$event.preventDefault()"
                (click)="choose(s)"
              >
                <span class="name">{{ s.name }}</span><span class="department">{{ s.departmentName }}</span>
              </li>
            }
          </ul>
          @if (results.hasMore()) {
            <button type="button" class="system-picker-more" tabindex="-1" (mousedown)="$event.preventDefault()" (click)="more()">
              {{ 'picker.system.more' | t }}
            </button>
          }
        }
      </div>
    }
    <div class="system-picker-status" role="status" aria-live="polite" [id]="statusId" [class.shown]="open() && !listShown()">{{ statusText() }}</div>
  `,
  styles: `
    :host { position: relative; display: inline-flex; align-items: center; min-width: 220px; vertical-align: middle; }
    .system-picker-input { flex: 1; min-width: 0; }
    .system-picker-department { margin-left: 8px; white-space: nowrap; color: var(--gy-muted, #595959); font-size: 12px; }
    .system-picker-panel, .system-picker-status.shown {
      position: absolute; z-index: 1050; left: 0; right: 0; top: 100%; margin-top: 2px; background: #fff;
      border-radius: 4px; box-shadow: 0 3px 6px -4px rgba(0, 0, 0, 0.12), 0 6px 16px 0 rgba(0, 0, 0, 0.08);
    }
    .system-picker-list { list-style: none; margin: 0; padding: 4px 0; max-height: 256px; overflow-y: auto; }
    .system-picker-option { display: flex; justify-content: space-between; gap: 12px; padding: 5px 12px; cursor: pointer; }
    .system-picker-option.active, .system-picker-option:hover { background: #e6f4ff; }
    .system-picker-option.chosen { font-weight: 600; }
    .system-picker-option .department { color: #595959; font-size: 12px; white-space: nowrap; }
    .system-picker-more { display: block; width: 100%; border: 0; border-top: 1px solid #f0f0f0; background: none; padding: 5px 12px; color: #0958d9; cursor: pointer; text-align: left; }
    .system-picker-status { padding: 0; }
    .system-picker-status:not(.shown) { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .system-picker-status.shown { padding: 8px 12px; color: #595959; }
  `,
})
export class SystemPickerComponent implements ControlValueAccessor {
  private readonly api = inject(API);
  private readonly i18n = inject(I18nService);
  private readonly uid = `system-picker-${++nextId}`;

  /** The input's id, for a `<label for>` outside. */
  readonly inputId = input<string>(`${this.uid}-input`);
  /** An accessible name when no visible label points at the input. */
  readonly label = input<string | null>(null);
  readonly placeholder = input<string | null>(null);
  /** Only this department's systems (the server still applies the caller's scope). */
  readonly departmentId = input<string | null>(null);
  /** Only systems in this state (e.g. 'registered' for onboarding). */
  readonly status = input<SystemStatus | null>(null);
  readonly debounceMs = input(250);
  /** The whole system chosen (null when cleared), for pages that show more than the id. */
  readonly picked = output<SystemChoice | null>();

  protected readonly listId = `${this.uid}-list`;
  protected readonly statusId = `${this.uid}-status`;
  protected readonly text = signal('');
  protected readonly open = signal(false);
  protected readonly active = signal(-1);
  protected readonly chosen = signal<SystemChoice | null>(null);
  protected readonly disabled = signal(false);
  /** A search is waiting out the debounce. */
  private readonly waiting = signal(false);
  /** The text the shown matches answer. */
  private readonly term = signal('');

  protected readonly results = new PagedList<SystemChoice>({
    load: (cursor) => {
      const search = this.term();
      const departmentId = this.departmentId();
      const status = this.status();
      return this.api.systems.list.query({
        limit: PAGE, ...(search ? { search } : {}), ...(departmentId ? { departmentId } : {}), ...(status ? { status } : {}), ...(cursor ? { cursor } : {}),
      });
    },
    key: (s) => s.id,
  });

  protected readonly listShown = computed(() => this.open() && this.results.items().length > 0);
  protected readonly activeOptionId = computed(() => (this.listShown() && this.active() >= 0 ? this.optionId(this.active()) : null));
  protected readonly statusText = computed(() => {
    if (!this.open()) return '';
    if (this.waiting() || this.results.loading()) return this.i18n.t('picker.system.searching');
    const error = this.results.error();
    if (error) return errorText(this.i18n, error);
    const count = this.results.items().length;
    if (count) return this.i18n.t('picker.system.results', { count });
    return this.term() ? this.i18n.t('picker.system.none', { text: this.term() }) : this.i18n.t('picker.system.noneAtAll');
  });

  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Answers to a name lookup (writeValue) overtaken by a later value are dropped. */
  private lookup = 0;
  private onChange: (id: string | null) => void = () => undefined;
  private onTouched: () => void = () => undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  protected optionId(i: number): string {
    return `${this.uid}-option-${i}`;
  }

  // ------------------------------------------------------------------ ControlValueAccessor

  writeValue(id: string | null | undefined): void {
    const seq = ++this.lookup;
    if (!id) return this.show(null);
    if (this.chosen()?.id === id) return;
    const known = this.results.items().find((s) => s.id === id);
    if (known) return this.show(known);
    this.chosen.set(null);
    this.text.set('');
    void this.api.systems.get.query({ id }).then(
      (s) => seq === this.lookup && this.show({ id: s.id, name: s.name, departmentName: s.departmentName }),
      () => seq === this.lookup && this.show({ id, name: this.i18n.t('picker.system.unreadable'), departmentName: '' }),
    );
  }

  registerOnChange(fn: (id: string | null) => void): void {
    this.onChange = fn;
  }

  registerOnTouched(fn: () => void): void {
    this.onTouched = fn;
  }

  setDisabledState(disabled: boolean): void {
    this.disabled.set(disabled);
    if (disabled) this.close();
  }

  // ------------------------------------------------------------------ the person's actions

  protected typed(value: string): void {
    this.text.set(value);
    this.open.set(true);
    this.schedule(value.trim());
  }

  /** Opens the list (a click, ArrowDown): the matches of what is typed, or the first systems when it shows the choice. */
  protected openList(): void {
    if (this.open() || this.disabled()) return;
    this.open.set(true);
    const typed = this.text().trim();
    const term = typed === (this.chosen()?.name ?? '') ? '' : typed;
    if (term !== this.term() || (this.results.items().length === 0 && !this.results.loading())) this.search(term);
  }

  protected key(e: KeyboardEvent): void {
    const count = this.results.items().length;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!this.open()) return this.openList();
        if (this.active() >= count - 1 && this.results.hasMore()) void this.more();
        else if (count) this.active.set(Math.min(this.active() + 1, count - 1));
        return;
      case 'ArrowUp':
        e.preventDefault();
        if (!this.open()) return this.openList();
        if (count) this.active.set(Math.max(this.active() - 1, 0));
        return;
      case 'Home':
      case 'End':
        if (!this.listShown()) return;
        e.preventDefault();
        this.active.set(e.key === 'Home' ? 0 : count - 1);
        return;
      case 'Enter': {
        if (!this.open()) return;
        // The form around must not submit while the list is open.
        e.preventDefault();
        const s = this.results.items()[this.active()];
        if (s) this.choose(s);
        return;
      }
      case 'Escape':
        if (!this.open()) return;
        e.preventDefault();
        e.stopPropagation();
        this.revert();
        return;
    }
  }

  protected choose(s: SystemChoice): void {
    const changed = this.chosen()?.id !== s.id;
    this.show(s);
    this.close();
    this.onTouched();
    if (changed) {
      this.onChange(s.id);
      this.picked.emit(s);
    }
  }

  /** Leaving the field: an emptied field clears the choice; a name typed in full is taken; anything else goes back. */
  protected left(): void {
    const typed = this.text().trim();
    if (!typed) {
      this.close();
      if (this.chosen()) {
        this.show(null);
        this.onChange(null);
        this.picked.emit(null);
      }
    } else {
      const exact = this.results.items().filter((s) => s.name === typed);
      if (exact.length === 1 && this.term() === typed && !this.waiting()) this.choose(exact[0]!);
      else this.revert();
    }
    this.onTouched();
  }

  protected async more(): Promise<void> {
    await this.results.more();
  }

  // ------------------------------------------------------------------ internals

  private schedule(term: string): void {
    clearTimeout(this.timer);
    this.waiting.set(true);
    this.timer = setTimeout(() => this.search(term), this.debounceMs());
  }

  private search(term: string): void {
    clearTimeout(this.timer);
    this.waiting.set(false);
    this.term.set(term);
    this.active.set(-1);
    void this.results.reload().then(() => {
      // The first match is ready for Enter; the chosen one when it is among them.
      const items = this.results.items();
      const at = items.findIndex((s) => s.id === this.chosen()?.id);
      if (this.term() === term && items.length) this.active.set(at >= 0 ? at : 0);
    });
  }

  private show(s: SystemChoice | null): void {
    this.chosen.set(s);
    this.text.set(s?.name ?? '');
  }

  private revert(): void {
    this.text.set(this.chosen()?.name ?? '');
    this.close();
  }

  private close(): void {
    clearTimeout(this.timer);
    this.waiting.set(false);
    this.open.set(false);
    this.active.set(-1);
  }
}
