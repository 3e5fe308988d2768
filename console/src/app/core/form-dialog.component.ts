import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  effect,
  inject,
  input,
  output,
  untracked,
  viewChild,
} from '@angular/core';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzModalModule } from 'ng-zorro-antd/modal';
import { ErrorAlertComponent } from './error-alert.component';
import type { FormSubmission } from './form-submission';
import { TranslatePipe } from './i18n/t.pipe';

/**
 * The one shell of every form dialog: the modal, the server's refusal on top (field errors go
 * beside their fields through FormSubmission), Enter to submit, Cancel and a Save button that
 * spins while the request runs. Each time the dialog opens, the previous refusal is cleared and
 * the form is reset to `initial` (when given) before `opened` fires, so a dialog opened a
 * second time never shows the last values or errors.
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
        <app-error-alert [error]="submission().error()" [extra]="submission().extraErrors()" />
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
