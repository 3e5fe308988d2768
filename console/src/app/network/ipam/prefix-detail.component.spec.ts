import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { press, settle, texts, signIn, setUpConsoleSpec } from '../../../testing/test-helpers';
import { IpamApiService } from './ipam-api.service';
import type { PrefixAddress, PrefixDetail } from './ipam-types';
import { PrefixDetailComponent } from './prefix-detail.component';

const detail = (addresses: string[]): PrefixDetail => ({
  id: 'p1', vrfId: 'v1', cidr: '10.36.1.0/29', family: 'ipv4', parentId: null, depth: 0, kind: 'assigned', status: 'active', unitCode: null,
  planeId: null, description: '', idempotencyKey: null, utilisation: { size: '8', allocatable: '6', used: String(addresses.length), percent: Math.floor((addresses.length / 6) * 10_000) / 100 },
  freeBlocks: ['10.36.1.2/31', '10.36.1.4/30'], freeListed: '6',
} as PrefixDetail);
const address = (a: string, i: number): PrefixAddress =>
  ({ id: `a${i}`, vrfId: 'v1', prefixId: 'p1', address: a, family: 'ipv4', status: 'active', unitCode: null, planeId: null, dnsName: null, description: '', idempotencyKey: null }) as PrefixAddress;
const page = (addresses: string[], nextCursor: string | null = null, from = 0) => ({ items: addresses.map((a, i) => address(a, from + i)), nextCursor });

@Component({ imports: [PrefixDetailComponent], template: `<app-ipam-prefix-detail [prefixId]="id()" />` })
class HostComponent {
  readonly id = signal<string | null>('p1');
}

describe('PrefixDetailComponent', () => {
  let ipam: jasmine.SpyObj<IpamApiService>;

  beforeEach(() => {
    ipam = jasmine.createSpyObj<IpamApiService>('IpamApiService', ['prefix', 'addresses', 'allocateAddress']);
    setUpConsoleSpec({ providers: [{ provide: IpamApiService, useValue: ipam }] });
  });

  async function render(role: 'network-engineer' | 'department-user') {
    signIn({ roles: [role] });
    const fixture = TestBed.createComponent(HostComponent);
    fixture.detectChanges();
    await settle(fixture);
    return fixture;
  }

  it('shows free blocks and addresses, and allocates the next address for network staff', async () => {
    ipam.prefix.and.resolveTo(detail(['10.36.1.1']));
    ipam.addresses.and.resolveTo(page(['10.36.1.1']));
    const fixture = await render('network-engineer');
    expect(texts('.free nz-tag')).toEqual(['10.36.1.2/31', '10.36.1.4/30']);
    expect(texts('.address-row code')).toEqual(['10.36.1.1']);
    // Both counts: what can be handed out (network and broadcast excluded) and the whole block.
    expect(texts('.used')).toEqual(['已用 1 / 可分配 6（共 8 个地址）']);
    ipam.allocateAddress.and.resolveTo({ ...address('10.36.1.2', 1), replayed: false } as never);
    ipam.prefix.and.resolveTo(detail(['10.36.1.1', '10.36.1.2']));
    ipam.addresses.and.resolveTo(page(['10.36.1.1', '10.36.1.2']));
    await press(fixture, document.querySelector('.allocate-address'));
    expect(ipam.allocateAddress).toHaveBeenCalledWith('p1');
    expect(texts('.address-row code')).toEqual(['10.36.1.1', '10.36.1.2']);
  });

  it('loads a prefix\'s addresses a page at a time', async () => {
    ipam.prefix.and.resolveTo(detail(['10.36.1.1', '10.36.1.2', '10.36.1.3']));
    ipam.addresses.and.callFake(async (_id, cursor) => (cursor === undefined ? page(['10.36.1.1', '10.36.1.2'], 'c1') : page(['10.36.1.3'], null, 2)));
    const fixture = await render('department-user');
    expect(texts('.address-row code')).toEqual(['10.36.1.1', '10.36.1.2']);
    await press(fixture, document.querySelector('.more-addresses'));
    expect(ipam.addresses).toHaveBeenCalledWith('p1', 'c1');
    expect(texts('.address-row code')).toEqual(['10.36.1.1', '10.36.1.2', '10.36.1.3']);
    expect(document.querySelector('.more-addresses')).toBeNull();
  });
});
