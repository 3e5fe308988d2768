import {
  ChangeDetectionStrategy,
  Component,
  effect,
  input,
  output,
  untracked,
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
      (nzOnCancel)="closed.emit()"
    >
      <ng-container *nzModalContent>
        <app-error-alert [error]="submission().error()" [extra]="submission().extraErrors()" />
        <form
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

  constructor() {
    effect(() => {
      if (!this.open()) return;
      untracked(() => {
        const submission = this.submission();
        submission.clear();
        const initial = this.initial();
        if (initial !== undefined) submission.form.reset(initial);
        this.opened.emit();
      });
    });
  }
}
