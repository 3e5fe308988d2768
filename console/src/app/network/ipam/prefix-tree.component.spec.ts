import { TestBed } from '@angular/core/testing';
import { Component, signal } from '@angular/core';
import { apiError, settle, texts, typeInto, press, signIn, setUpConsoleSpec } from '../../../testing/test-helpers';
import { IpamApiService } from './ipam-api.service';
import type { PrefixNode } from './ipam-types';
import { PrefixTreeComponent } from './prefix-tree.component';

const node = (over: Partial<PrefixNode> = {}): PrefixNode => ({
  id: 'p-root', vrfId: 'v1', cidr: '2001:db8::/32', family: 'ipv6', parentId: null, depth: 0, kind: 'aggregate', status: 'active',
  unitCode: null, planeId: null, description: '', idempotencyKey: null, children: 1,
  utilisation: { size: String(2n ** 96n), allocatable: String(2n ** 96n), used: String(2n ** 64n), percent: 0 }, ...over,
});

@Component({ imports: [PrefixTreeComponent], template: `<app-ipam-prefix-tree [vrfId]="vrf()" />` })
class HostComponent {
  readonly vrf = signal<string | null>('v1');
}

describe('PrefixTreeComponent', () => {
  let ipam: jasmine.SpyObj<IpamApiService>;

  async function render(roles: ('network-engineer' | 'department-user')[] = ['network-engineer']) {
    ipam = jasmine.createSpyObj<IpamApiService>('IpamApiService', ['vrfs', 'prefixes', 'prefix', 'allocatePrefix', 'importPrefixes', 'exportPrefixes', 'createVrf']);
    ipam.prefixes.and.callFake(async (_vrf, parentId) => ({
      items: parentId === null
        ? [node(), node({ id: 'p-v4', cidr: '10.36.0.0/16', family: 'ipv4', children: 0, utilisation: { size: '65536', allocatable: '65536', used: '62000', percent: 94.6 } })]
        : [node({ id: 'p-child', cidr: '2001:db8::/64', parentId: 'p-root', depth: 1, kind: 'assigned', children: 0, unitCode: '360102001', planeId: 'plane-1', utilisation: { size: String(2n ** 64n), allocatable: String(2n ** 64n - 1n), used: '0', percent: 0 } })],
      nextCursor: null,
    }));
    setUpConsoleSpec({ providers: [{ provide: IpamApiService, useValue: ipam }] });
    signIn({ roles });
    const fixture = TestBed.createComponent(HostComponent);
    fixture.detectChanges();
    await settle(fixture);
    return fixture;
  }

  it('shows the top level with utilisation bars, and loads children when a prefix is opened', async () => {
    const fixture = await render();
    const el = fixture.nativeElement as HTMLElement;
    expect(texts('.prefix-row .cidr', el)).toEqual(['2001:db8::/32', '10.36.0.0/16']);
    expect(el.querySelector('[data-cidr="10.36.0.0/16"] .ant-progress-status-exception')).not.toBeNull();
    await press(fixture, el.querySelector('[data-cidr="2001:db8::/32"] .toggle'));
    expect(ipam.prefixes).toHaveBeenCalledWith('v1', 'p-root');
    expect(texts('.prefix-row .cidr', el)).toEqual(['2001:db8::/32', '2001:db8::/64', '10.36.0.0/16']);
    expect((el.querySelector('[data-cidr="2001:db8::/64"] td') as HTMLElement).style.paddingLeft).toBe('28px');
    await press(fixture, el.querySelector('[data-cidr="2001:db8::/32"] .toggle'));
    expect(texts('.prefix-row .cidr', el)).toEqual(['2001:db8::/32', '10.36.0.0/16']);
  });

  it('allocates the next prefix with the chosen inputs and shows the server refusal beside the field', async () => {
    const fixture = await render();
    const el = fixture.nativeElement as HTMLElement;
    ipam.allocatePrefix.and.rejectWith(apiError('NOT_FOUND', { code: 'notFound', path: ['unitCode'] }));
    await press(fixture, el.querySelector('[data-cidr="2001:db8::/32"] .allocate'));
    typeInto(document.querySelector('[data-field="unitCode"] input'), '369999');
    await press(fixture, document.querySelector('.allocate-submit'));
    expect(ipam.allocatePrefix).toHaveBeenCalledWith({ parentId: 'p-root', length: 64, strategy: 'first-fit', kind: 'assigned', unitCode: '369999', planeId: null });
    expect(texts('[data-field="unitCode"] .ant-form-item-explain')).toEqual(['对象不存在，或不在您的权限范围内']);

    ipam.allocatePrefix.and.resolveTo({ ...node({ id: 'p-new', cidr: '2001:db8:0:1::/64', parentId: 'p-root', depth: 1, kind: 'assigned', children: 0 }), replayed: false } as never);
    ipam.prefix.and.resolveTo({ ...node(), utilisation: { size: String(2n ** 96n), allocatable: String(2n ** 96n), used: String(2n ** 65n), percent: 0 }, freeBlocks: [], freeListed: '0' } as never);
    typeInto(document.querySelector('[data-field="unitCode"] input'), '');
    await press(fixture, document.querySelector('.allocate-submit'));
    expect(ipam.prefixes).toHaveBeenCalledWith('v1', 'p-root');
    expect(texts('.prefix-row .cidr', el)).toContain('2001:db8::/64');
  });

  it('offers no allocation to a read-only role', async () => {
    const fixture = await render(['department-user']);
    expect((fixture.nativeElement as HTMLElement).querySelectorAll('.allocate').length).toBe(0);
  });

  it('loads the next page of a level where the server has more', async () => {
    const fixture = await render();
    const el = fixture.nativeElement as HTMLElement;
    ipam.prefixes.and.callFake(async (_vrf, parentId, cursor) => ({
      items: cursor === undefined
        ? [node({ id: 'c1', cidr: '2001:db8::/64', parentId, depth: 1, children: 0 })]
        : [node({ id: 'c2', cidr: '2001:db8:0:1::/64', parentId, depth: 1, children: 0 })],
      nextCursor: cursor === undefined ? 'next-1' : null,
    }));
    await press(fixture, el.querySelector('[data-cidr="2001:db8::/32"] .toggle'));
    expect(texts('.prefix-row .cidr', el)).toEqual(['2001:db8::/32', '2001:db8::/64', '10.36.0.0/16']);
    await press(fixture, el.querySelector('.more-row .load-more'));
    expect(ipam.prefixes).toHaveBeenCalledWith('v1', 'p-root', 'next-1');
    expect(texts('.prefix-row .cidr', el)).toEqual(['2001:db8::/32', '2001:db8::/64', '2001:db8:0:1::/64', '10.36.0.0/16']);
    expect(el.querySelector('.more-row')).toBeNull();
  });
});
