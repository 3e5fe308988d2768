import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { chooseSystem, press, type FakeApi, settle, setUpConsoleSpec, texts } from '../../../testing/test-helpers';
import { I18nService } from '../i18n/i18n.service';
import { SystemsPickerComponent } from './systems-picker.component';

@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, SystemsPickerComponent],
  template: `<label for="deps">依赖的系统</label><app-systems-picker inputId="deps" [formControl]="control" />`,
})
class HostComponent {
  readonly control = new FormControl<string[]>([], { nonNullable: true });
}

describe('SystemsPickerComponent', () => {
  let api: FakeApi;
  let fixture: ComponentFixture<HostComponent>;
  const el = () => fixture.nativeElement as HTMLElement;
  const names = () => texts('.systems-picker-item .name', el());

  beforeEach(async () => {
    api = setUpConsoleSpec({ imports: [HostComponent] });
    api.systems.list.query.and.resolveTo({ items: [{ id: 's-1', name: '社保卡服务系统', departmentName: '赣州市数据局' }, { id: 's-2', name: '公积金查询系统', departmentName: '九江市数据局' }], nextCursor: null } as never);
    api.systems.get.query.and.callFake(async ({ id }) => {
      if (id === 's-7') return { id, name: '电子证照', departmentName: '南昌市数据局' } as never;
      throw new Error('not found');
    });
    fixture = TestBed.createComponent(HostComponent);
    await settle(fixture);
  });

  afterEach(() => fixture.destroy());

  it('names the systems of a value it is given, and says so when one cannot be read', async () => {
    fixture.componentInstance.control.setValue(['s-7', 's-gone']);
    await settle(fixture);
    expect(names()).toEqual(['电子证照', '（无法读取该系统）']);
    TestBed.inject(I18nService).setLang('en');
    await settle(fixture);
    expect(el().querySelector('.systems-picker-item button')?.getAttribute('aria-label')).toBe('Remove 电子证照');
  });

  it('adds each system picked once, in order, labelled by the outside label, and removes one on its button', async () => {
    const picker = () => el().querySelector('app-system-picker');
    expect(el().querySelector('#deps')?.getAttribute('role')).toBe('combobox');
    await chooseSystem(fixture, picker(), '公积金查询系统');
    await chooseSystem(fixture, picker(), '社保卡服务系统');
    await chooseSystem(fixture, picker(), '公积金查询系统');
    expect(fixture.componentInstance.control.value).toEqual(['s-2', 's-1']);
    expect(names()).toEqual(['公积金查询系统', '社保卡服务系统']);
    await press(fixture, el().querySelector('button[aria-label="移除 公积金查询系统"]'));
    expect(fixture.componentInstance.control.value).toEqual(['s-1']);
    expect(names()).toEqual(['社保卡服务系统']);
  });
});
