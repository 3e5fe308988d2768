import { ChangeDetectionStrategy, Component, output, input } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { FormDialogComponent } from '../core/form-dialog.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { PasswordChange, PasswordFieldsComponent } from '../password/password-fields';

/** A signed-in person changes their own password; every opening starts from an empty form. */
@Component({
  selector: 'app-change-password-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, FormDialogComponent, PasswordFieldsComponent, TranslatePipe],
  template: `
    <app-form-dialog
      [open]="open()"
      [title]="'password.title' | t"
      [submission]="change.submission"
      [initial]="empty"
      width="520px"
      layout="vertical"
      (save)="submit()"
      (closed)="closed.emit()"
    >
      <ng-container [formGroup]="change.form">
        <app-password-fields idPrefix="cpw" />
      </ng-container>
    </app-form-dialog>
  `,
})
export class ChangePasswordDialogComponent {
  readonly open = input.required<boolean>();
  readonly closed = output<void>();

  protected readonly change = new PasswordChange();
  protected readonly empty = this.change.form.getRawValue();

  protected async submit(): Promise<void> {
    if (await this.change.send()) this.closed.emit();
  }
}
