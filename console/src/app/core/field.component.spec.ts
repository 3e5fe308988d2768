import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { settle, setUpConsoleSpec } from '../../testing/test-helpers';
import { FieldComponent } from './field.component';

@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzInputModule, NzSelectModule, FieldComponent],
  template: `
    <form [formGroup]="form">
      <app-field label="users.username" for="f-name" required hint="departments.creditCodeHint" labelSpan="6" span="16">
        <input nz-input id="f-name" formControlName="name" />
      </app-field>
      <ng-container formGroupName="credential">
        <app-field label="users.password" for="f-secret">
          <input nz-input id="f-secret" formControlName="secret" />
        </app-field>
      </ng-container>
      <app-field label="users.roles" for="f-role" field="roles.0">
        <nz-select nzId="f-role" formControlName="role"><nz-option nzValue="a" nzLabel="a" /></nz-select>
      </app-field>
    </form>
  `,
})
class HostComponent {
  readonly form = new FormGroup({
    name: new FormControl('', Validators.required),
    credential: new FormGroup({ secret: new FormControl('') }),
    role: new FormControl<string | null>(null),
  });
}

describe('FieldComponent', () => {
  let fixture: ComponentFixture<HostComponent>;
  let el: HTMLElement;
  const item = (field: string) => el.querySelector(`[data-field="${field}"]`)!.closest('nz-form-item')!;

  beforeEach(async () => {
    setUpConsoleSpec({ imports: [HostComponent] });
    fixture = TestBed.createComponent(HostComponent);
    el = fixture.nativeElement as HTMLElement;
    await settle(fixture);
  });

  it('ties the translated label to the control it names, marks it required and keeps the grid columns', () => {
    const label = item('name').querySelector('label')!;
    expect(label.getAttribute('for')).toBe('f-name');
    expect(label.textContent!.trim()).toBe('用户名');
    expect(label.classList).toContain('ant-form-item-required');
    expect(item('name').querySelector('nz-form-label')!.classList).toContain('ant-col-6');
    expect(item('name').querySelector('nz-form-control')!.classList).toContain('ant-col-16');
    expect(item('credential.secret').querySelector('label')!.classList).not.toContain('ant-form-item-required');
  });

  it("names the field by the control's path, or by the path given", () => {
    expect(el.querySelector('[data-field="name"] #f-name')).not.toBeNull();
    expect(el.querySelector('[data-field="credential.secret"] #f-secret')).not.toBeNull();
    expect(el.querySelector('[data-field="roles.0"] nz-select')).not.toBeNull();
  });

  it('shows the hint and describes the field by it', () => {
    const input = el.querySelector('#f-name')!;
    const hint = item('name').querySelector('.ant-form-item-extra')!;
    expect(hint.textContent!.trim()).not.toBe('');
    expect(input.getAttribute('aria-describedby')).toBe(hint.querySelector('[id]')!.id);
    expect(input.hasAttribute('aria-invalid')).toBeFalse();
    expect(el.querySelector('#f-secret')!.hasAttribute('aria-describedby')).toBeFalse();
  });

  it("shows the control's own error once touched, and the server's refusal, and describes the field by them", async () => {
    const { form } = fixture.componentInstance;
    form.controls.name.markAsTouched();
    form.controls.name.updateValueAndValidity();
    await settle(fixture);
    const error = item('name').querySelector('.ant-form-item-explain-error')!;
    expect(error.textContent!.trim()).toBe('此项必填');
    const input = el.querySelector('#f-name')!;
    expect(input.getAttribute('aria-describedby')!.split(' ')).toContain(error.querySelector('[id]')!.id);
    expect(input.getAttribute('aria-invalid')).toBe('true');

    const secret = form.controls.credential.controls.secret;
    // As formError spreads a refusal over the form: dirty and touched, then the server's error.
    secret.markAsDirty();
    secret.markAsTouched();
    secret.setErrors({ server: '密钥格式不对' });
    await settle(fixture);
    expect(item('credential.secret').querySelector('.ant-form-item-explain-error')!.textContent!.trim()).toBe('密钥格式不对');
    expect(el.querySelector('#f-secret')!.getAttribute('aria-invalid')).toBe('true');

    form.controls.name.setValue('张三');
    await settle(fixture);
    expect(item('name').querySelector('.ant-form-item-explain-error')).toBeNull();
    expect(input.hasAttribute('aria-invalid')).toBeFalse();
    expect(input.getAttribute('aria-describedby')).not.toContain('error');
  });

  it('makes a projected control a form item: a select takes the field\'s width, and a control in error turns red', async () => {
    // ng-zorro's controls find their form field by injection; a projected one finds it through app-field.
    const select = el.querySelector('[data-field="roles.0"] nz-select')!;
    expect(select.classList).toContain('ant-select-in-form-item');
    expect(select.getBoundingClientRect().width).toBeGreaterThan(100);
    const input = el.querySelector('#f-name')!;
    expect(input.classList).not.toContain('ant-input-status-error');
    const { form } = fixture.componentInstance;
    form.controls.name.markAsTouched();
    form.controls.name.updateValueAndValidity();
    await settle(fixture);
    expect(input.classList).toContain('ant-input-status-error');
    form.controls.name.setValue('张三');
    await settle(fixture);
    expect(input.classList).not.toContain('ant-input-status-error');
  });
});
