import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { ApiOutputs } from '../core/api-types';
import { apiError, chooseOption, chooseSystem, click, press, type FakeApi, settle, setUpConsoleSpec, texts, typeInto } from '../../testing/test-helpers';
import { RequestFormComponent } from './request-form.component';
import { quotaEffect, toItem, newDraft, hostChoices } from './request-items';

type Catalogue = ApiOutputs['requests']['catalogue'];
type Preview = ApiOutputs['requests']['preview'];

const catalogue = (over: Partial<Catalogue> = {}): Catalogue => ({
  system: { id: 's-1', name: '社保查询系统', mlpsLevel: 3, xinchuangRequired: true, architectures: ['x86_64'] },
  clouds: [
    { cloudId: 'nanchang', name: '南昌政务云', eligible: true, reasons: [] },
    { cloudId: 'xc-kunpeng', name: '信创云', eligible: false, reasons: [{ zh: '不提供 x86_64', en: 'no x86_64' }] },
  ],
  flavours: [{ id: 'c2m4', vcpu: 2, memoryGiB: 4 }, { id: 'c4m8', vcpu: 4, memoryGiB: 8 }],
  cloudId: 'nanchang',
  platforms: [{ arch: 'x86_64', vendor: 'intel', refusal: 'xinchuang' }, { arch: 'x86_64', vendor: 'hygon', refusal: null }],
  images: [{ id: 'kylin-v10', name: '麒麟 V10', legacy: false, arches: ['x86_64'] }],
  kinds: ['host', 'volume', 'workload', 'segment'], zones: ['az1'],
  networks: [{ network: 'extranet', ipv4: true, ipv6: true }],
  segments: [{ name: 'app', ipv4: '10.80.0.0/26', ipv6: 'fd00:50::/64' }], hosts: [],
  ...over,
} as Catalogue);

describe('RequestFormComponent', () => {
  let api: FakeApi;
  let fixture: ComponentFixture<RequestFormComponent>;

  beforeEach(async () => {
    api = setUpConsoleSpec({ imports: [RequestFormComponent] });
    api.requests.catalogue.query.and.resolveTo(catalogue());
    fixture = TestBed.createComponent(RequestFormComponent);
    fixture.componentRef.setInput('open', true);
    await settle(fixture);
    api.systems.list.query.and.resolveTo({ items: [{ id: 's-1', name: '社保查询系统', departmentName: '南昌市数据局' }], nextCursor: null } as never);
    await chooseSystem(fixture, document.querySelector('app-system-picker.rf-system'), '社保查询系统');
  });

  afterEach(() => fixture.destroy());

  it('builds items from the system’s catalogue: its cloud, only the allowed platforms, refused ones named', async () => {
    expect(api.requests.catalogue.query).toHaveBeenCalledWith({ systemId: 's-1' });
    expect(texts('.rf-needs .refused-platform')).toEqual(['x86_64/intel: 非信创 CPU']);
    expect(texts('.rf-needs .xinchuang')).toEqual(['须信创']);
    await press(fixture, document.querySelector('button.add-host'));
    await press(fixture, document.querySelector('.rf-item nz-select.platform .ant-select-selector'));
    expect(texts('nz-option-item')).toEqual(['x86_64 / hygon']);
    // The ineligible cloud is listed with its reason and cannot be chosen.
    await press(fixture, document.querySelector('nz-select.rf-cloud .ant-select-selector'));
    const kunpeng = Array.from(document.querySelectorAll('nz-option-item')).find((o) => o.textContent?.includes('信创云'))!;
    expect(kunpeng.textContent).toContain('不提供 x86_64');
    expect(kunpeng.classList).toContain('ant-select-item-option-disabled');
  });

  it('labels every field of every row, so a person (and a screen reader) finds a select by its label', async () => {
    for (const kind of ['segment', 'host', 'workload', 'volume']) click(document.querySelector(`button.add-${kind}`));
    await settle(fixture);
    const rows = Array.from(document.querySelectorAll('fieldset.rf-item'));
    expect(rows.length).toBe(4);
    const unlabelled: string[] = [];
    for (const row of rows) {
      for (const label of Array.from(row.querySelectorAll('nz-form-label label'))) {
        const target = label.getAttribute('for');
        const control = target ? document.getElementById(target) : null;
        // The id must be on the control itself (the select's search input, the number's input), not a wrapper.
        if (!control || !['INPUT', 'TEXTAREA'].includes(control.tagName) || !row.contains(control)) {
          unlabelled.push(`${row.getAttribute('data-kind')}: ${label.textContent?.trim()}`);
        }
      }
    }
    expect(unlabelled).toEqual([]);
  });

  it('shows the quota effect as items are added, and the server’s quota check before submitting', async () => {
    api.requests.preview.query.and.resolveTo({
      cloudId: 'nanchang', allowed: true, quotaIncrease: true, units: 10, chain: { id: null, name: 'default', steps: [{}, {}] },
      quota: { fits: false, needsApproval: false, shortfalls: [{ nodeId: 'n-1', level: 'system', ref: 's-1', cloudId: 'nanchang', resourceClass: 'vcpu', limit: 2, softLimit: null, used: 0, requested: 2, kind: 'hard' }] },
      results: [], items: [], resources: [], placement: { admission: [], admitted: true, candidates: [], chosen: 'nanchang' },
    } as unknown as Preview);
    click(document.querySelector('button.add-segment'));
    await press(fixture, document.querySelector('button.add-host'));
    expect(texts('.rf-effect .effect li')).toEqual(['vCPU: +2', '内存 (GiB): +4', '存储 (GiB): +40', 'IPv4 地址: +64', 'IPv6 /64 前缀: +1']);
    await press(fixture, document.querySelector('button.check'));
    expect(api.requests.preview.query).toHaveBeenCalledWith({ systemId: 's-1', cloudId: 'nanchang', resources: [
      { kind: 'segment', name: 'net', network: 'extranet', ipv4Length: 26, dualStack: true },
      { kind: 'host', name: 'vm', count: 1, flavour: 'c2m4', systemDiskGiB: 40, arch: 'x86_64', vendor: 'hygon', image: 'kylin-v10' },
    ] });
    expect(texts('.quota-check .beyond').join()).toContain('配额扩容申请');
    expect(texts('.quota-check .shortfalls li')).toEqual(['vCPU (system): 已用 0，申请 2，上限 2']);
    expect(api.requests.submit.mutate).not.toHaveBeenCalled();
  });

  it('submits the items; a refusal the server names shows beside its field', async () => {
    api.requests.submit.mutate.and.rejectWith(apiError('BAD_REQUEST', { code: 'input.rejected', path: ['resources', '0', 'name'] }));
    await press(fixture, document.querySelector('button.add-host'));
    typeInto(document.querySelector('input.title'), '两台主机');
    await press(fixture, document.querySelector('button.save'));
    expect(api.requests.submit.mutate).toHaveBeenCalledOnceWith(jasmine.objectContaining({ systemId: 's-1', cloudId: 'nanchang', title: '两台主机', reason: '' }));
    const nameField = document.querySelector('[data-field="resources.0.name"]')!;
    expect(nameField.querySelector('.ant-form-item-explain')?.textContent?.trim()).toBeTruthy();
  });

  it('sends a segment’s chosen prefix; an overlap the server finds shows beside that field', async () => {
    api.requests.submit.mutate.and.rejectWith(apiError('CONFLICT', { code: 'conflict.overlap', path: ['resources', '0', 'cidr'], params: { cidr: '10.80.0.0/26', overlaps: '10.80.0.0/26' } }));
    await press(fixture, document.querySelector('button.add-segment'));
    typeInto(document.querySelector('.rf-item input.cidr'), '10.80.0.0/26');
    typeInto(document.querySelector('input.title'), '指定网段');
    await press(fixture, document.querySelector('button.save'));
    expect(api.requests.submit.mutate).toHaveBeenCalledOnceWith(jasmine.objectContaining({
      resources: [{ kind: 'segment', name: 'net', network: 'extranet', ipv4Length: 26, cidr: '10.80.0.0/26', dualStack: true }],
    }));
    expect(document.querySelector('[data-field="resources.0.cidr"] .ant-form-item-explain')?.textContent).toContain('重叠');
  });

  it('a refusal of a row’s vendor shows beside its platform field', async () => {
    api.requests.submit.mutate.and.rejectWith(apiError('BAD_REQUEST', { code: 'input.rejected', path: ['resources', '0', 'vendor'] }));
    await press(fixture, document.querySelector('button.add-host'));
    typeInto(document.querySelector('input.title'), '主机');
    await press(fixture, document.querySelector('button.save'));
    expect(api.requests.submit.mutate).toHaveBeenCalledTimes(1);
    expect(document.querySelector('[data-field="resources.0.arch"] .ant-form-item-explain')?.textContent?.trim()).toBeTruthy();
  });

  it('keeps the catalogue of the cloud in the field when an earlier cloud’s answer comes last', async () => {
    const clouds = [
      { cloudId: 'nanchang', name: '南昌政务云', eligible: true, reasons: [] },
      { cloudId: 'jiujiang', name: '九江政务云', eligible: true, reasons: [] },
    ];
    let answerJiujiang: (c: Catalogue) => void = () => undefined;
    api.requests.catalogue.query.and.callFake((input) => {
      if (input.cloudId === 'jiujiang') return new Promise<Catalogue>((resolve) => (answerJiujiang = resolve));
      return Promise.resolve(catalogue({ clouds, cloudId: 'nanchang' }));
    });
    api.requests.catalogue.query.calls.reset();
    api.systems.list.query.and.resolveTo({ items: [{ id: 's-2', name: '公积金系统', departmentName: '南昌市数据局' }], nextCursor: null } as never);
    await chooseSystem(fixture, document.querySelector('app-system-picker.rf-system'), '公积金系统');
    const cloud = () => texts('nz-select.rf-cloud .ant-select-selection-item')[0];
    expect(cloud()).toBe('南昌政务云');
    // The user looks at Jiujiang (slow to answer), then goes back to Nanchang, which answers at once …
    await chooseOption(fixture, document.querySelector('nz-select.rf-cloud'), '九江政务云');
    await chooseOption(fixture, document.querySelector('nz-select.rf-cloud'), '南昌政务云');
    expect(api.requests.catalogue.query.calls.allArgs().map(([i]) => i.cloudId)).toEqual([undefined, 'jiujiang', 'nanchang']);
    // … and only then does Jiujiang's answer arrive: it is dropped, the form stays on Nanchang's catalogue.
    answerJiujiang(catalogue({ clouds, cloudId: 'jiujiang', system: { ...catalogue().system, architectures: ['arm64'] } }));
    await settle(fixture);
    expect(cloud()).toBe('南昌政务云');
    expect(texts('.rf-needs')[0]).toContain('x86_64');
    expect(texts('.rf-needs')[0]).not.toContain('arm64');
  });
});

describe('request items', () => {
  const flavours = [{ id: 'c4m8' as const, vcpu: 4, memoryGiB: 8 }];
  it('sizes the quota like the server: counted hosts, replicas, volumes and a segment’s prefix', () => {
    const host = { ...newDraft('host', null, 0), count: 2, flavour: 'c4m8', systemDiskGiB: 50 };
    const workload = { ...newDraft('workload', null, 0), replicas: 3, flavour: 'c4m8' };
    const segment = { ...newDraft('segment', null, 0), ipv4Length: 28, dualStack: false };
    expect(quotaEffect([host, workload, { ...newDraft('volume', null, 0), sizeGiB: 500 }, segment], flavours as never))
      .toEqual({ vcpu: 20, memoryGiB: 40, storageGiB: 600, ipv4Addresses: 16, ipv6Prefixes64: 0 });
  });

  it('sends a workload’s size and only its kind’s fields; a counted host is attachable as name-1 … name-n', () => {
    const w = { ...newDraft('workload', null, 0), name: 'api', platform: 'arm64/kunpeng', image: 'uos', flavour: 'c4m8', replicas: 2 };
    expect(toItem(w)).toEqual({ kind: 'workload', name: 'api', replicas: 2, size: 'c4m8', arch: 'arm64', vendor: 'kunpeng', image: 'uos' });
    expect(hostChoices([{ ...newDraft('host', null, 0), name: 'web', count: 2 }], null)).toEqual(['web-1', 'web-2']);
  });
});
