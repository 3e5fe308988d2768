import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { NonNullableFormBuilder, Validators } from '@angular/forms';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { API } from '../../core/api-client';
import { FormSubmission } from '../../core/form-submission';
import type { Department } from '../../core/api-types';
import { EditDialogBase } from '../../core/edit-dialog';
import { FORM_DIALOG_IMPORTS } from '../../core/form-dialog.component';
import { DivisionGroup, selfAndDescendants } from './department-tree';

/**
 * Shape of a unified social credit code (GB 32100-2015): 18 characters from the code's
 * alphabet (no I, O, S, V, Z). The check character is the server's to verify, and its
 * message then shows under this field.
 */
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** Create (record = null) or edit one department. Emits the server's copy of the department when saved. */
@Component({
  selector: 'app-department-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FORM_DIALOG_IMPORTS, NzSelectModule],
  templateUrl: './department-dialog.component.html',
})
export class DepartmentDialogComponent extends EditDialogBase<Department> {
  private readonly api = inject(API);

  readonly departments = input.required<Department[]>();
  readonly divisionGroups = input.required<DivisionGroup[]>();

  /** A department cannot sit under itself or under one of its own sub-departments. */
  protected readonly parentChoices = computed(() => {
    const current = this.record();
    const all = this.departments();
    const excluded = current ? selfAndDescendants(all, current.id) : new Set<string>();
    return all.filter((d) => !excluded.has(d.id));
  });

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', Validators.required],
    creditCode: ['', [Validators.required, Validators.pattern(CREDIT_CODE)]],
    parentId: [null as string | null],
    divisionCode: ['', Validators.required],
  });
  protected readonly submission = new FormSubmission(this.form);
  /** What the form shows each time it opens: the department's values, or an empty form. */
  protected readonly initial = computed(() => {
    const dept = this.record();
    return {
      name: dept?.name ?? '',
      creditCode: dept?.creditCode ?? '',
      parentId: dept?.parentId ?? null,
      divisionCode: dept?.divisionCode ?? '',
    };
  });

  protected async submit(): Promise<void> {
    if (this.submission.saving()) return;
    const code = this.form.controls.creditCode;
    code.setValue(code.value.trim().toUpperCase());
    const result = await this.submission.run(() => {
      const v = this.form.getRawValue();
      const current = this.record();
      const input = { name: v.name.trim(), creditCode: v.creditCode, parentId: v.parentId, divisionCode: v.divisionCode };
      return current ? this.api.departments.update.mutate({ id: current.id, ...input }) : this.api.departments.create.mutate(input);
    });
    if (result) this.saved.emit(result);
  }
}
