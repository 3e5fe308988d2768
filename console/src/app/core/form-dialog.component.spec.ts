import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { clearStorage, createFakeApi, settle, testProviders } from '../../testing/test-helpers';
import { FormDialogComponent } from './form-dialog.component';
import { FormSubmission } from './form-submission';

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
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('FormDialogComponent', () => {
  let fixture: ComponentFixture<HostComponent>;
  const field = (cls: string) => document.querySelector<HTMLInputElement>(`.ant-modal input.${cls}`);

  beforeEach(async () => {
    clearStorage();
    TestBed.configureTestingModule({ imports: [HostComponent], providers: testProviders(createFakeApi()) });
    fixture = TestBed.createComponent(HostComponent);
    document.body.appendChild(fixture.nativeElement);
    await settle(fixture);
  });

  afterEach(() => {
    fixture.componentInstance.open.set(false);
    fixture.destroy();
  });

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
