import { ChangeDetectionStrategy, Component, ElementRef, afterEveryRender, booleanAttribute, contentChild, inject, input, numberAttribute, viewChild } from '@angular/core';
import { NgControl, type AbstractControl } from '@angular/forms';
import { NzFormStatusService } from 'ng-zorro-antd/core/form';
import { NzFormControlComponent, NzFormModule, type NzFormControlStatusType } from 'ng-zorro-antd/form';
import { FieldErrorPipe } from './field-error.pipe';
import { TranslatePipe } from './i18n/t.pipe';

let nextId = 0;

/** `labelSpan="6"` as well as `[labelSpan]="6"`; absent or empty: no grid column. */
const columns = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : numberAttribute(v));

/**
 * The one form field of the console: a label, the caller's control, a hint and the field's own error, as an
 * nz-form-item. The control is projected, so any input fits (nz-input, nz-select, nz-input-number, a picker):
 *
 *   <app-field label="users.username" for="user-username" required>
 *     <input nz-input id="user-username" formControlName="username" autocomplete="off" />
 *   </app-field>
 *
 * - `label` and `hint` are translation keys; `for` is the id of the element a person types in (for an nz-select,
 *   its `nzId`), so the label is a real <label for>.
 * - The error is the reactive control's (the first NgControl inside): our validators' and the server's refusal,
 *   through `fieldError`, shown once the control is touched or dirty. The control's element gets
 *   `aria-describedby` pointing at the hint and the error shown, and `aria-invalid` while an error is shown.
 * - `data-field` (which FormDialogComponent and the e2e read) is the control's dotted path, e.g. `credential.token`,
 *   unless `field` names another.
 * - The host takes no box of its own (`display: contents`), so the layout is the nz-form-item's as before.
 * - The projected control is the caller's content, so it finds its form field through this component, not through
 *   the nz-form-control of our template (an element's injector parent is where it is written). This component
 *   therefore provides the NzFormStatusService that ng-zorro's controls look for, and relays the inner
 *   nz-form-control's status to it: without it an nz-select is not a form item (no full width: a select a few
 *   pixels wide, whose search box loses the caret between typed characters) and no control turns red on error.
 */
@Component({
  selector: 'app-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzFormModule, FieldErrorPipe, TranslatePipe],
  providers: [NzFormStatusService],
  template: `
    <nz-form-item>
      @if (label()) {
        <nz-form-label [nzSpan]="labelSpan()" [nzRequired]="required()" [nzFor]="for() ?? undefined">{{ label()! | t }}</nz-form-label>
      }
      <nz-form-control
        [nzSpan]="span()"
        [nzOffset]="offset()"
        [nzValidateStatus]="validateStatus()"
        [nzErrorTip]="tip"
        [nzExtra]="hint() ? extra : undefined"
        [attr.data-field]="dataField()"
      >
        <ng-content />
      </nz-form-control>
    </nz-form-item>
    <ng-template #tip let-control><span [id]="errorId">{{ control | fieldError }}</span></ng-template>
    <ng-template #extra><span [id]="hintId">{{ hint()! | t }}</span></ng-template>
  `,
  styles: `
    :host {
      display: contents;
    }
  `,
})
export class FieldComponent {
  /** Translation key of the label; absent for a control that labels itself (a checkbox). */
  readonly label = input<string | null>(null);
  /** The id of the element the label is for. */
  readonly for = input<string | null>(null);
  readonly required = input(false, { transform: booleanAttribute });
  /** Translation key of a hint shown under the field. */
  readonly hint = input<string | null>(null);
  /** The form path the server names the field by, when it is not the control's own path. */
  readonly field = input<string | null>(null);
  /** Grid columns of the label and of the control (null in a vertical or inline form). */
  readonly labelSpan = input<number | null, unknown>(null, { transform: columns });
  readonly span = input<number | null, unknown>(null, { transform: columns });
  /** Columns to skip where there is no label (a lone checkbox under labelled fields). */
  readonly offset = input<number | null, unknown>(null, { transform: columns });

  readonly id = `app-field-${++nextId}`;
  protected readonly errorId = `${this.id}-error`;
  protected readonly hintId = `${this.id}-hint`;

  private readonly control = contentChild(NgControl, { descendants: true });
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly formStatus = inject(NzFormStatusService, { self: true });
  private readonly formControl = viewChild.required(NzFormControlComponent);
  private relayedStatus: NzFormControlStatusType | null = null;

  /** Read on every check, not memoised: a row of a form array moves (its path changes) and a form is replaced. */
  protected validateStatus(): AbstractControl | '' {
    return this.control()?.control ?? '';
  }

  protected dataField(): string | null {
    return this.field() ?? this.control()?.path?.join('.') ?? null;
  }

  constructor() {
    afterEveryRender({
      write: () => {
        this.relayStatus();
        this.describe();
      },
    });
  }

  /** Tells the projected control the field's status (error, validating…) as nz-form-control tells its own children. */
  private relayStatus(): void {
    const status = this.formControl().status;
    if (status === this.relayedStatus) return;
    this.relayedStatus = status;
    this.formStatus.formStatusChanges.next({ status, hasFeedback: false });
  }

  /** Points the typed-in element at the hint and error shown, so a screen reader reads them with the field. */
  private describe(): void {
    const host = this.host.nativeElement;
    const id = this.for();
    const target = id
      ? host.ownerDocument.getElementById(id)
      : host.querySelector<HTMLElement>('input:not([type="hidden"]), textarea, select');
    if (!target || !host.contains(target)) return;
    // The error shows when nz-form-control shows it: the control invalid once touched or changed.
    const control = this.control()?.control;
    const invalid = !!control && control.invalid && (control.dirty || control.touched);
    const shown = [...(this.hint() ? [this.hintId] : []), ...(invalid ? [this.errorId] : [])];
    const describedBy = shown.join(' ');
    if ((target.getAttribute('aria-describedby') ?? '') !== describedBy) {
      if (describedBy) target.setAttribute('aria-describedby', describedBy);
      else target.removeAttribute('aria-describedby');
    }
    if (target.hasAttribute('aria-invalid') !== invalid) {
      if (invalid) target.setAttribute('aria-invalid', 'true');
      else target.removeAttribute('aria-invalid');
    }
  }
}
