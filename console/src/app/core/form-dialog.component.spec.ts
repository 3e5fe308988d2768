import { ChangeDetectionStrategy, Component, signal, type Type, type WritableSignal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { FormArray, FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import { apiError, settle, SERVER_TEXT, type ReasonFixture, setUpConsoleSpec } from '../../testing/test-helpers';
import { FieldErrorPipe } from './field-error.pipe';
import { FormDialogComponent } from './form-dialog.component';
import { FormSubmission } from './form-submission';
import { I18nService } from './i18n/i18n.service';
import { TranslatePipe } from './i18n/t.pipe';

@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, FormDialogComponent],
  template: `
    <button type="button" class="opener">新建</button>
    <app-form-dialog [open]="open()" title="新建" [submission]="submission" (closed)="open.set(false)">
      <ng-container [formGroup]="form">
        <label for="fd-name">名称</label><input id="fd-name" class="name" formControlName="name" />
        <label for="fd-note">备注</label><input id="fd-note" class="note" formControlName="note" />
      </ng-container>
    </app-form-dialog>
  `,
})
class HostComponent {
  readonly open = signal(false);
  readonly form = new FormGroup({ name: new FormControl(''), note: new FormControl('') });
  readonly submission = new FormSubmission(this.form);
}

const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/** A host of the dialog in the page (the modal attaches to the body), settled; the dialog closed. */
async function mountHost<T>(host: Type<T>): Promise<ComponentFixture<T>> {
  setUpConsoleSpec({ imports: [host] });
  const fixture = TestBed.createComponent(host);
  document.body.appendChild(fixture.nativeElement);
  await settle(fixture);
  return fixture;
}

/** Closes the dialog before the host goes, so no modal is left over the next spec. */
function unmountHost(fixture: ComponentFixture<{ open: WritableSignal<boolean> }>): void {
  fixture.componentInstance.open.set(false);
  fixture.destroy();
}
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('FormDialogComponent', () => {
  let fixture: ComponentFixture<HostComponent>;
  const field = (cls: string) => document.querySelector<HTMLInputElement>(`.ant-modal input.${cls}`);

  beforeEach(async () => {
    fixture = await mountHost(HostComponent);
  });

  afterEach(() => unmountHost(fixture));

  /** Lets the dialog open and finish whatever it does on opening (frames for focus, the modal's own after-open). */
  async function openAndSettle(): Promise<void> {
    document.querySelector<HTMLButtonElement>('.opener')!.focus();
    fixture.componentInstance.open.set(true);
    await settle(fixture);
    for (let i = 0; i < 12; i++) await frame();
    await wait(50);
    await settle(fixture);
  }

  it('focuses its first form field on opening, not the close button', async () => {
    await openAndSettle();
    expect(field('name')).not.toBeNull();
    expect(document.activeElement).toBe(field('name'));
    expect(document.activeElement?.closest('.ant-modal-close')).toBeNull();
  });

  it('leaves the focus where the person put it once they are in a field', async () => {
    await openAndSettle();
    const note = field('note')!;
    note.focus();
    note.value = '已经在输入';
    note.dispatchEvent(new Event('input'));
    for (let i = 0; i < 12; i++) await frame();
    await wait(100);
    await settle(fixture);
    expect(document.activeElement).toBe(note);
    expect(fixture.componentInstance.form.value.note).toBe('已经在输入');
  });

  it('focuses the first field again when opened a second time', async () => {
    await openAndSettle();
    field('note')!.focus();
    fixture.componentInstance.open.set(false);
    await settle(fixture);
    await wait(50);
    await openAndSettle();
    expect(document.activeElement).toBe(field('name'));
  });
});

/** A dialog as the console's are written: labelled nz-form-items, a list of rows in fieldsets, field errors as tips. */
@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzFormModule, NzInputModule, FormDialogComponent, FieldErrorPipe, TranslatePipe],
  template: `
    <app-form-dialog [open]="open()" title="x" [submission]="submission" (save)="save()" (closed)="open.set(false)">
      <ng-container [formGroup]="form">
        <nz-form-item>
          <nz-form-label nzFor="rf-name">{{ 'resources.name' | t }}</nz-form-label>
          <nz-form-control [nzErrorTip]="tip" data-field="name"><input nz-input id="rf-name" formControlName="name" /></nz-form-control>
        </nz-form-item>
        <nz-form-item>
          <nz-form-label nzFor="rf-title">{{ 'requests.requestTitle' | t }}</nz-form-label>
          <nz-form-control [nzErrorTip]="tip"><input nz-input id="rf-title" formControlName="title" /></nz-form-control>
        </nz-form-item>
        <ng-container formArrayName="rows">
          @for (g of form.controls.rows.controls; track g; let i = $index) {
            <fieldset [formGroupName]="i">
              <legend>{{ 'resources.kind.host' | t }} <button type="button">x</button></legend>
              <nz-form-item>
                <nz-form-label [nzFor]="'rf-vcpu-' + i">vCPU</nz-form-label>
                <nz-form-control [nzErrorTip]="tip" [attr.data-field]="'rows.' + i + '.vcpu'"><input nz-input [id]="'rf-vcpu-' + i" formControlName="vcpu" /></nz-form-control>
              </nz-form-item>
            </fieldset>
          }
        </ng-container>
        <!-- A field the form shows with a label but no control of the form (the server checks it). -->
        <nz-form-item>
          <nz-form-label nzFor="rf-cloud">{{ 'resources.cloud' | t }}</nz-form-label>
          <nz-form-control data-field="cloudId"><input nz-input id="rf-cloud" readonly value="c-1" /></nz-form-control>
        </nz-form-item>
      </ng-container>
      <ng-template #tip let-control>{{ control | fieldError }}</ng-template>
    </app-form-dialog>
  `,
})
class RefusedHostComponent {
  readonly open = signal(true);
  readonly form = new FormGroup({
    name: new FormControl('a'),
    title: new FormControl('t'),
    rows: new FormArray([new FormGroup({ vcpu: new FormControl(2) })]),
  });
  readonly submission = new FormSubmission(this.form);
  refusal: Error = new Error('unset');
  save(): void {
    void this.submission.run(() => Promise.reject(this.refusal));
  }
}

describe('FormDialogComponent refusals', () => {
  let fixture: ComponentFixture<RefusedHostComponent>;
  let i18n: I18nService;
  const alert = () => document.querySelector('.ant-modal app-error-alert');
  const heading = () => (alert()?.querySelector('.ant-alert-message')?.textContent ?? '').trim();
  const lines = () => Array.from(alert()?.querySelectorAll('.error-extra') ?? []).map((l) => (l.textContent ?? '').trim());
  const tipOf = (field: string) => (document.querySelector(`.ant-modal [data-field="${field}"] .ant-form-item-explain-error`)?.textContent ?? '').trim();

  async function refuse(reason: ReasonFixture): Promise<void> {
    fixture.componentInstance.refusal = apiError('BAD_REQUEST', reason);
    fixture.componentInstance.save();
    await settle(fixture);
    await settle(fixture);
  }

  beforeEach(async () => {
    fixture = await mountHost(RefusedHostComponent);
    i18n = TestBed.inject(I18nService);
  });

  afterEach(() => unmountHost(fixture));

  it('sums up a schema refusal by its field’s label and reason, and puts the reason beside the field', async () => {
    await refuse({ code: 'input.invalid', path: ['name'], params: { count: 1 }, issues: [{ path: ['name'], code: 'input.tooSmall', params: { origin: 'string', minimum: 2 } }] });
    expect(heading()).toBe('名称：至少 2 个字符');
    expect(heading()).not.toContain('输入');
    expect(tipOf('name')).toBe('至少 2 个字符');
    expect(alert()?.textContent).not.toContain(SERVER_TEXT);
  });

  it('names a list row’s field by its row and counts the other problems', async () => {
    await refuse({
      code: 'input.invalid', params: { count: 2 },
      issues: [
        { path: ['rows', '0', 'vcpu'], code: 'input.tooBig', params: { origin: 'number', maximum: 64 } },
        { path: ['name'], code: 'input.tooSmall', params: { origin: 'string', minimum: 2 } },
      ],
    });
    expect(heading()).toBe('云主机 · vCPU：不能大于 64（另有 1 处需要修改）');
    expect(tipOf('rows.0.vcpu')).toBe('不能大于 64');
    expect(tipOf('name')).toBe('至少 2 个字符');
  });

  it('lists a refused field without a control under its label, not its path, and follows the English switch', async () => {
    await refuse({ code: 'input.rejected', path: ['cloudId'] });
    expect(heading()).toBe('云：输入的值不被接受，请检查后重试');
    expect(lines()).toEqual(['云：输入的值不被接受，请检查后重试']);
    expect(alert()?.textContent).not.toContain('cloudId');
    i18n.setLang('en');
    await settle(fixture);
    await settle(fixture);
    expect(heading()).toBe('Cloud: A value was not accepted; check the input and try again');
    expect(lines()).toEqual(['Cloud: A value was not accepted; check the input and try again']);
    expect(alert()?.textContent).not.toContain('云');
  });

  it('keeps the refusal’s own text when it names no field', async () => {
    await refuse({ code: 'conflict.exists' });
    expect(heading()).toBe('相同的记录已存在');
    expect(lines()).toEqual([]);
  });
});
