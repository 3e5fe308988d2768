import type { Division } from '../../core/api-types';
import { apiError, chooseOption, click, FakeApi, sampleDepartment, settle, setUpConsoleSpec, texts, typeInto, renderComponent, saveDialog } from '../../../testing/test-helpers';
import { DepartmentsComponent } from './departments.component';

const DIVISIONS: Record<string, Division[]> = {
  province: [{ code: '360000', name: '江西省', level: 'province', parentCode: null }],
  city: [{ code: '360100', name: '南昌市', level: 'city', parentCode: '360000' }],
  county: [{ code: '360102', name: '东湖区', level: 'county', parentCode: '360100' }],
};

describe('DepartmentsComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [DepartmentsComponent] });
    api.divisions.list.query.and.callFake(async (input) => ({ items: DIVISIONS[input?.level ?? ''] ?? [] }));
    api.departments.list.query.and.resolveTo({
      items: [
        sampleDepartment({ id: 'd-2', name: '南昌市数据局', parentId: 'd-1', parentName: '江西省大数据中心', divisionCode: '360100', divisionName: '南昌市' }),
        sampleDepartment({ id: 'd-1', name: '江西省大数据中心' }),
      ],
    });
  });

  const render = () => renderComponent(DepartmentsComponent);

  async function fillCreateForm(fixture: Awaited<ReturnType<typeof render>>['fixture'], el: HTMLElement, creditCode: string) {
    click(el.querySelector('button.create-department'));
    await settle(fixture);
    typeInto(document.querySelector('#dept-name'), '东湖区政务服务中心');
    typeInto(document.querySelector('#dept-credit-code'), creditCode);
    await chooseOption(fixture, document.querySelector('[data-field=divisionCode] nz-select'), '南昌市 / 东湖区');
  }

  it('lists departments parent-first with credit code, parent and division', async () => {
    const { el } = await render();

    expect(texts('td.name', el)).toEqual(['江西省大数据中心', '南昌市数据局']);
    const child = el.querySelector('tr[data-department="d-2"]')!;
    expect(child.querySelector('.parent')?.textContent).toContain('江西省大数据中心');
    expect(child.querySelector('.division')?.textContent).toContain('南昌市');
    expect(child.querySelector('.credit-code')?.textContent).toContain('12360000MB1234567X');
    expect(api.divisions.list.query.calls.allArgs()).toEqual([[{ level: 'province' }], [{ level: 'city' }], [{ level: 'county' }]]);
  });

  it('shows the server credit-code error beside the credit-code field', async () => {
    api.departments.create.mutate.and.rejectWith(
      apiError('BAD_REQUEST', { code: 'input.invalid', path: ['creditCode'], params: { count: 1 }, issues: [{ path: ['creditCode'], code: 'system.creditCode' }] }),
    );
    const { fixture, el } = await render();

    await fillCreateForm(fixture, el, '12360100mb0000000y');
    await saveDialog(fixture);

    expect(api.departments.create.mutate).toHaveBeenCalledOnceWith({
      name: '东湖区政务服务中心',
      creditCode: '12360100MB0000000Y',
      parentId: null,
      divisionCode: '360102',
    });
    const field = document.querySelector('[data-field=creditCode]');
    expect(field?.querySelector('.ant-form-item-explain-error')?.textContent).toContain('统一社会信用代码不正确：应为 18 位，且校验位正确');
    expect(document.querySelector('[data-field=name] .ant-form-item-explain-error')).toBeNull();
    // The alert names the field by its label and says why, rather than only that something was not accepted.
    const alert = document.querySelector('.ant-modal nz-alert');
    expect(alert?.textContent).toContain('统一社会信用代码：统一社会信用代码不正确');
    expect(alert?.textContent).not.toContain('creditCode');
    expect(alert?.textContent).not.toContain('校验位不正确');
  });

  it('refuses a malformed credit code before asking the server', async () => {
    const { fixture, el } = await render();

    await fillCreateForm(fixture, el, 'ABC123');
    await saveDialog(fixture);

    expect(api.departments.create.mutate).not.toHaveBeenCalled();
    expect(document.querySelector('[data-field=creditCode] .ant-form-item-explain-error')?.textContent).toContain('格式不正确');
  });

  it('edits with the parent choices excluding the department itself', async () => {
    api.departments.update.mutate.and.callFake(async (input) => sampleDepartment({ id: input.id, name: input.name ?? '' }));
    api.departments.list.query.and.resolveTo({
      items: [
        sampleDepartment({ id: 'd-1', name: '江西省大数据中心' }),
        sampleDepartment({ id: 'd-2', name: '南昌市数据局', parentId: 'd-1', parentName: '江西省大数据中心' }),
        sampleDepartment({ id: 'd-3', name: '赣州市数据局', creditCode: '11360700MB0000000B' }),
      ],
    });
    const { fixture, el } = await render();

    click(el.querySelector('tr[data-department="d-1"] button.edit'));
    await settle(fixture);
    click(document.querySelector('[data-field=parentId] nz-select .ant-select-selector'));
    await settle(fixture);
    // Neither d-1 itself nor d-2 (below it) may become its parent.
    expect(texts('nz-option-item')).toEqual(['赣州市数据局']);
    click(document.querySelector('[data-field=parentId] nz-select .ant-select-selector'));
    typeInto(document.querySelector('#dept-name'), '江西省大数据发展管理局');
    await saveDialog(fixture);

    expect(api.departments.update.mutate).toHaveBeenCalledOnceWith({
      id: 'd-1',
      name: '江西省大数据发展管理局',
      creditCode: '12360000MB1234567X',
      parentId: null,
      divisionCode: '360000',
    });
    expect(api.departments.list.query).toHaveBeenCalledTimes(2); // reloaded after saving
  });
});
