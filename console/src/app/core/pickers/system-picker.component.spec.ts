import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { I18nService } from '../i18n/i18n.service';
import { type FakeApi, settle, setUpConsoleSpec, typeInto } from '../../../testing/test-helpers';
import { SystemPickerComponent, type SystemChoice } from './system-picker.component';

@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, SystemPickerComponent],
  template: `<label for="sys">系统</label>
    <app-system-picker inputId="sys" [formControl]="control" [debounceMs]="debounce()" [departmentId]="department()" [status]="status()" (picked)="picked = $event" />`,
})
class HostComponent {
  readonly control = new FormControl<string | null>(null);
  readonly debounce = signal(0);
  readonly department = signal<string | null>(null);
  readonly status = signal<'registered' | null>(null);
  picked: SystemChoice | null | undefined;
}

const system = (id: string, name: string, departmentName = '赣州市数据局') => ({ id, name, departmentName }) as never;
const page = (items: unknown[], nextCursor: string | null = null) => ({ items, nextCursor }) as never;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SystemPickerComponent', () => {
  let api: FakeApi;
  let fixture: ComponentFixture<HostComponent>;
  let host: HostComponent;

  const el = () => fixture.nativeElement as HTMLElement;
  const box = () => el().querySelector<HTMLInputElement>('input[role="combobox"]')!;
  const options = () => Array.from(el().querySelectorAll('[role="option"]')).map((o) => o.querySelector('.name')!.textContent!.trim());
  const status = () => el().querySelector('[role="status"]')!.textContent!.trim();
  const press = (key: string) => box().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  const searches = () => api.systems.list.query.calls.allArgs().map(([input]) => input?.search ?? '');

  beforeEach(async () => {
    api = setUpConsoleSpec({ imports: [HostComponent] });
    api.systems.list.query.and.callFake(async (input) =>
      page(input?.search === '无此系统' ? [] : [system('s-1', '社保卡服务系统'), system('s-2', '公积金查询系统', '九江市数据局')]),
    );
    fixture = TestBed.createComponent(HostComponent);
    host = fixture.componentInstance;
    await settle(fixture);
  });

  afterEach(() => fixture.destroy());

  it('is a labelled combobox that owns its listbox only while the list is open', async () => {
    expect(box().id).toBe('sys');
    expect(el().querySelector('label')!.getAttribute('for')).toBe('sys');
    expect(box().getAttribute('aria-expanded')).toBe('false');
    expect(box().getAttribute('aria-controls')).toBeNull();
    press('ArrowDown');
    await settle(fixture);
    expect(box().getAttribute('aria-expanded')).toBe('true');
    const list = el().querySelector('[role="listbox"]')!;
    expect(box().getAttribute('aria-controls')).toBe(list.id);
    expect(box().getAttribute('aria-describedby')).toBe(el().querySelector('[role="status"]')!.id);
  });

  it('waits for typing to pause, then asks the server once with the last text', async () => {
    host.debounce.set(60);
    await settle(fixture);
    typeInto(box(), '公');
    typeInto(box(), '公积');
    typeInto(box(), ' 公积金 ');
    await settle(fixture);
    expect(api.systems.list.query).not.toHaveBeenCalled();
    expect(status()).toBe('正在搜索…');
    await wait(120);
    await settle(fixture);
    expect(searches()).toEqual(['公积金']);
    expect(api.systems.list.query.calls.mostRecent().args[0]).toEqual({ limit: 20, search: '公积金' });
  });

  it('passes the department and the state it is limited to', async () => {
    host.department.set('d-9');
    host.status.set('registered');
    await settle(fixture);
    typeInto(box(), '社保');
    await settle(fixture);
    expect(api.systems.list.query.calls.mostRecent().args[0]).toEqual({ limit: 20, search: '社保', departmentId: 'd-9', status: 'registered' });
  });

  it('shows only the latest search’s answer when an earlier one arrives after it', async () => {
    let answerSlow: (v: never) => void = () => undefined;
    api.systems.list.query.and.callFake((input) =>
      input?.search === '公'
        ? new Promise<never>((resolve) => (answerSlow = resolve))
        : Promise.resolve(page([system('s-2', '公积金查询系统', '九江市数据局')])),
    );
    typeInto(box(), '公');
    await settle(fixture);
    typeInto(box(), '公积金');
    await settle(fixture);
    expect(options()).toEqual(['公积金查询系统']);
    answerSlow(page([system('s-1', '公安办证系统'), system('s-3', '公交卡系统')]));
    await settle(fixture);
    expect(options()).toEqual(['公积金查询系统']);
    expect(searches()).toEqual(['公', '公积金']);
  });

  it('chooses with the keyboard: arrows move, Enter takes the option into the form, Escape puts the choice back', async () => {
    press('ArrowDown');
    await settle(fixture);
    expect(options()).toEqual(['社保卡服务系统', '公积金查询系统']);
    expect(Array.from(el().querySelectorAll('[role="option"] .department')).map((d) => d.textContent)).toEqual(['赣州市数据局', '九江市数据局']);
    const first = el().querySelectorAll('[role="option"]')[0]!;
    expect(box().getAttribute('aria-activedescendant')).toBe(first.id);
    press('ArrowDown');
    await settle(fixture);
    const second = el().querySelectorAll('[role="option"]')[1]!;
    expect(box().getAttribute('aria-activedescendant')).toBe(second.id);
    expect(second.classList).toContain('active');
    expect(second.getAttribute('aria-selected')).toBe('true');
    expect(first.getAttribute('aria-selected')).toBe('false');
    press('Enter');
    await settle(fixture);
    expect(host.control.value).toBe('s-2');
    expect(host.picked).toEqual({ id: 's-2', name: '公积金查询系统', departmentName: '九江市数据局' } as SystemChoice);
    expect(box().value).toBe('公积金查询系统');
    expect(box().getAttribute('aria-expanded')).toBe('false');
    expect(el().querySelector('.system-picker-department')!.textContent).toBe('九江市数据局');

    typeInto(box(), '社保');
    await settle(fixture);
    press('Escape');
    await settle(fixture);
    expect(box().value).toBe('公积金查询系统');
    expect(host.control.value).toBe('s-2');
  });

  it('takes a click on an option, and clears the value when the field is emptied and left', async () => {
    typeInto(box(), '社保');
    await settle(fixture);
    (el().querySelector('[role="option"]') as HTMLElement).click();
    await settle(fixture);
    expect(host.control.value).toBe('s-1');
    typeInto(box(), '');
    box().dispatchEvent(new Event('blur'));
    await settle(fixture);
    expect(host.control.value).toBeNull();
    expect(host.picked).toBeNull();
  });

  it('shows the name (never the id) of a system it is given by id', async () => {
    api.systems.get.query.and.resolveTo({ id: 'b5a1c0de-0000-4000-8000-000000000001', name: '不动产登记系统', departmentName: '南昌市自然资源局' } as never);
    host.control.setValue('b5a1c0de-0000-4000-8000-000000000001');
    await settle(fixture);
    expect(api.systems.get.query).toHaveBeenCalledWith({ id: 'b5a1c0de-0000-4000-8000-000000000001' });
    expect(box().value).toBe('不动产登记系统');
    expect(el().textContent).toContain('南昌市自然资源局');
    expect(el().textContent).not.toContain('b5a1c0de');
    host.control.setValue(null);
    await settle(fixture);
    expect(box().value).toBe('');
  });

  it('says in the reader’s language when nothing matches', async () => {
    typeInto(box(), '无此系统');
    await settle(fixture);
    expect(el().querySelector('[role="listbox"]')).toBeNull();
    expect(status()).toBe('没有名称包含「无此系统」的系统');
    TestBed.inject(I18nService).setLang('en');
    await settle(fixture);
    expect(status()).toBe('No system whose name contains “无此系统”');
  });

  it('reads the next page when the arrow goes past the last match', async () => {
    api.systems.list.query.and.callFake(async (input) =>
      input?.cursor ? page([system('s-3', '第三个系统')]) : page([system('s-1', '社保卡服务系统'), system('s-2', '公积金查询系统')], 'c-2'),
    );
    press('ArrowDown');
    await settle(fixture);
    expect(el().querySelector('.system-picker-more')).not.toBeNull();
    press('ArrowDown');
    press('ArrowDown');
    await settle(fixture);
    expect(options()).toEqual(['社保卡服务系统', '公积金查询系统', '第三个系统']);
    expect(api.systems.list.query.calls.mostRecent().args[0]).toEqual({ limit: 20, cursor: 'c-2' });
  });
});
