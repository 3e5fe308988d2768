import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, Injector, afterNextRender, afterRenderEffect, effect, inject, input, output, signal, untracked, viewChild } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { ErrorAlertComponent } from './error-alert.component';
import type { FieldLabels } from './error-text';
import { FieldComponent } from './field.component';
import type { FormSubmission } from './form-submission';
import { I18nService } from './i18n/i18n.service';
import { TranslatePipe } from './i18n/t.pipe';

/**
 * The one shell of every form dialog: the modal, the server's refusal on top (field errors go
 * beside their fields through FormSubmission), Enter to submit, Cancel and a Save button that
 * spins while the request runs. Each time the dialog opens, the previous refusal is cleared and
 * the form is reset to `initial` (when given) before `opened` fires, so a dialog opened a
 * second time never shows the last values or errors.
 *
 * A refusal is summed up by the field it names and why ("名称：至少 2 个字符"), under the label the form shows for
 * that field (read from the rendered form after each refusal and language switch: `data-field="<path>"` or
 * `formControlName` inside an nz-form-item, its nz-form-label; a row's legend goes before its fields' labels).
 *
 * Focus: on opening, the dialog's first form field takes the focus (so a person can type straight away), and
 * nothing moves it afterwards. nz-modal's own autofocus is off (`nzAutofocus` null): it would focus the first
 * tabbable element, the header's close button, once the opening animation ends (~0.4 s), by when a person may
 * be typing in a picker, which clears it on blur. The first field is focused only while the focus is still on
 * the modal itself or outside it: a field the person has already clicked or typed in keeps it.
 *
 * The fields are the caller's own, projected inside its `[formGroup]` (projected content takes
 * its form directives from where it is written, not from this shell):
 *
 *   <app-form-dialog [open]="open()" [title]="'x.create' | t" [submission]="submission"
 *                    [initial]="initial()" (save)="submit()" (closed)="closed.emit()">
 *     <ng-container [formGroup]="form"> …nz-form-item… </ng-container>
 *   </app-form-dialog>
 */
@Component({
  selector: 'app-form-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzButtonModule, NzModalModule, ErrorAlertComponent, TranslatePipe],
  template: `
    <nz-modal
      [nzVisible]="open()"
      [nzTitle]="title()"
      [nzMaskClosable]="false"
      [nzWidth]="width()"
      [nzAutofocus]="null"
      (nzOnCancel)="closed.emit()"
    >
      <ng-container *nzModalContent>
        <app-error-alert [error]="submission().error()" [extra]="submission().extraErrors()" [labels]="labels()" />
        <form
          #formEl
          class="ant-form"
          [class.ant-form-vertical]="layout() === 'vertical'"
          [class.ant-form-horizontal]="layout() === 'horizontal'"
          [attr.aria-label]="title()"
          (submit)="$event.preventDefault(); save.emit()"
        >
          <ng-content />
          <button type="submit" hidden></button>
        </form>
      </ng-container>
      <ng-container *nzModalFooter>
        <button nz-button type="button" class="cancel" (click)="closed.emit()">{{ 'common.cancel' | t }}</button>
        <button
          nz-button
          nzType="primary"
          type="button"
          class="save"
          [disabled]="saveDisabled()"
          [nzLoading]="submission().saving()"
          (click)="save.emit()"
        >
          {{ saveLabel() ?? ('common.save' | t) }}
        </button>
      </ng-container>
    </nz-modal>
  `,
})
export class FormDialogComponent {
  readonly open = input.required<boolean>();
  readonly title = input.required<string>();
  readonly submission = input.required<FormSubmission>();
  /** The form's value on opening (passed to `form.reset`); absent: the caller resets in `opened`. */
  readonly initial = input<unknown>(undefined);
  readonly saveLabel = input<string | null>(null);
  readonly saveDisabled = input(false);
  readonly width = input('600px');
  readonly layout = input<'horizontal' | 'vertical'>('horizontal');

  readonly save = output<void>();
  readonly closed = output<void>();
  readonly opened = output<void>();

  private readonly formEl = viewChild<ElementRef<HTMLFormElement>>('formEl');
  private readonly injector = inject(Injector);
  private focusFrame = 0;
  private readonly i18n = inject(I18nService);
  /** The labels of the fields the current refusal names, as the form shows them. */
  protected readonly labels = signal<FieldLabels>({});

  constructor() {
    effect(() => {
      if (!this.open()) return;
      untracked(() => {
        const submission = this.submission();
        submission.clear();
        const initial = this.initial();
        if (initial !== undefined) submission.form.reset(initial);
        this.opened.emit();
        afterNextRender(() => this.focusFirstField(), { injector: this.injector });
      });
    });
    inject(DestroyRef).onDestroy(() => cancelAnimationFrame(this.focusFrame));
    // After rendering, so the labels read are the ones in the language just switched to.
    afterRenderEffect({
      read: () => {
        const error = this.submission().error();
        this.i18n.lang();
        const form = this.formEl()?.nativeElement;
        const labels: Record<string, string> = {};
        if (error && form) {
          for (const f of error.fields) {
            const label = f.path ? fieldLabel(form, f.path) : null;
            if (label) labels[f.path] = label;
          }
        }
        const current = untracked(this.labels);
        if (JSON.stringify(current) !== JSON.stringify(labels)) this.labels.set(labels);
      },
    });
  }

  /**
   * Focuses the form's first field once it is rendered. Waits a frame first: nz-modal focuses its own container
   * in the frame after it attaches, which would otherwise take the focus straight back. Tries for a few frames
   * while the modal's content is being attached; gives up once the person has focused something in the dialog.
   */
  private focusFirstField(frames = 10): void {
    cancelAnimationFrame(this.focusFrame);
    this.focusFrame = requestAnimationFrame(() => {
      if (!this.open()) return;
      const form = this.formEl()?.nativeElement;
      const field = form ? firstField(form) : null;
      if (!form || !field) {
        if (frames > 1) this.focusFirstField(frames - 1);
        return;
      }
      const modal = form.closest('.ant-modal-wrap, nz-modal-container') ?? form;
      const active = form.ownerDocument.activeElement;
      // The person got there first (clicked or typed in a field, or tabbed to a button): leave the focus alone.
      if (active && active !== modal && modal.contains(active)) return;
      field.focus();
    });
  }
}

/**
 * What a form dialog's template is written with: this shell, `app-field`, reactive forms, ng-zorro's form items
 * and inputs, and the `t` pipe. A dialog lists these and whatever controls it adds (`imports: [FORM_DIALOG_IMPORTS,
 * NzSelectModule]`).
 */
export const FORM_DIALOG_IMPORTS = [
  ReactiveFormsModule,
  NzFormModule,
  NzInputModule,
  FormDialogComponent,
  FieldComponent,
  TranslatePipe,
] as const;

/** The label the form shows for the field at a dotted path, or null when it shows none. */
export function fieldLabel(form: Element, path: string): string | null {
  const last = path.split('.').pop()!;
  const host =
    form.querySelector(`[data-field="${CSS.escape(path)}"]`) ??
    (path.includes('.') ? null : form.querySelector(`[formcontrolname="${CSS.escape(last)}"]`));
  if (!host) return null;
  const item = host.closest('nz-form-item');
  const labelEl = item?.querySelector('nz-form-label label, label.ant-form-item-label') ?? null;
  const label = clean(labelEl?.textContent) || clean(host.querySelector('[aria-label]')?.getAttribute('aria-label'));
  if (!label) return null;
  // A row of a list (a fieldset with a legend): "云主机 · 名称".
  const legend = host.closest('fieldset')?.querySelector(':scope > legend');
  const row = legend ? clean(Array.from(legend.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('')) : '';
  return row && form.contains(legend!) ? `${row} · ${label}` : label;
}

const clean = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim().replace(/[:：]$/, '');

/** The first field a person can type in or choose with: enabled, visible, not hidden. */
function firstField(form: HTMLFormElement): HTMLElement | null {
  const candidates = form.querySelectorAll<HTMLElement>(
    'input:not([type="hidden"]):not([disabled]):not([hidden]), textarea:not([disabled]), select:not([disabled])',
  );
  for (const c of Array.from(candidates)) {
    if (c.closest('[hidden], [aria-hidden="true"]')) continue;
    if (c.getClientRects().length === 0) continue;
    return c;
  }
  return null;
}
