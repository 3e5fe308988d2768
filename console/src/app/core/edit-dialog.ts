import { signal } from '@angular/core';

/**
 * A list page's create-or-edit dialog: closed, open to create (`editing()` null), or open on one row.
 * The page binds `[open]="dialog.open()"`, the row as `dialog.editing()`, and `(closed)="dialog.close()"`.
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
