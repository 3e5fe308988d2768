import { Directive, computed, input, output, signal } from '@angular/core';

/**
 * A list page's create-or-edit dialog: closed, open to create (`editing()` null), or open on one row.
 * The page binds `[open]="dialog.open()"`, `[record]="dialog.editing()"`, and `(closed)="dialog.close()"`.
 */
export class EditDialog<T> {
  readonly open = signal(false);
  readonly editing = signal<T | null>(null);

  create(): void {
    this.editing.set(null);
    this.open.set(true);
  }

  edit(row: T): void {
    this.editing.set(row);
    this.open.set(true);
  }

  close(): void {
    this.open.set(false);
  }
}

/**
 * The dialog side of EditDialog: what every create-or-edit form dialog takes and says. `record` is the row being
 * edited (null: a new one); `saved` carries the server's copy once it is saved. The dialog adds its form and
 * builds its template on app-form-dialog (core/form-dialog.component.ts).
 */
@Directive()
export abstract class EditDialogBase<T> {
  readonly open = input.required<boolean>();
  readonly record = input<T | null>(null);
  readonly saved = output<T>();
  readonly closed = output<void>();

  protected readonly isEdit = computed(() => this.record() !== null);
}
