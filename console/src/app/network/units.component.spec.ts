import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { settle, texts, renderComponent, signIn } from '../../testing/test-helpers';
import { FakeNetworkApi, sampleNode, setUpNetworkSpec } from '../../testing/network-fakes';
import { UnitsComponent } from './units.component';
import type { UnitSearch } from './unit-search';

describe('UnitsComponent (unit tree)', () => {
  let api: FakeNetworkApi;
  beforeEach(() => {
    api = setUpNetworkSpec([UnitsComponent]);
    api.tree.and.callFake(async (parent?: string) => ({
      items: !parent ? [sampleNode()]
        : parent === '36' ? [sampleNode({ code: '3601', name: '南昌市', level: 'city', units: 50, dualPlane: 25, ipv6Ready: 0 })]
        : [sampleNode({ code: '360102', name: '东湖区', level: 'county', units: 10, dualPlane: 10, ipv6Ready: 10, hasChildren: false })],
    }));
    signIn({ roles: ['network-engineer'] });
  });

  it('opens the province with its cities, each with coverage and readiness badges of its subtree', async () => {
    const { el } = await renderComponent(UnitsComponent);
    expect(api.tree.calls.allArgs()).toEqual([[], ['36']]);
    expect(texts('.unit-name', el)).toEqual(['江西省', '南昌市']);
    const city = el.querySelector('[data-code="3601"]')!;
    expect(city.querySelector('.badge-dual')?.textContent?.trim()).toBe('双平面 50%');
    expect(city.querySelector('.badge-v6')?.textContent?.trim()).toBe('IPv6 0%');
    expect(city.querySelector('.badge-v6 .ant-tag-red, .badge-v6.ant-tag-red')).not.toBeNull();
  });

  it('loads a node\'s children when it is expanded, once', async () => {
    const { fixture, el } = await renderComponent(UnitsComponent);
    const switchers = el.querySelectorAll('.ant-tree-switcher');
    (switchers[1] as HTMLElement).click();
    await settle(fixture);
    expect(api.tree).toHaveBeenCalledWith('3601');
    expect(texts('.unit-name', el)).toContain('东湖区');
    expect(el.querySelector('[data-code="360102"] .badge-dual')?.textContent?.trim()).toBe('双平面 100%');
  });

  it('finds a unit by name and opens it', async () => {
    api.searchUnits.and.resolveTo({ items: [{ code: '360102001201', name: '东山村', level: 'village' } as never] });
    const { fixture } = await renderComponent(UnitsComponent);
    const router = TestBed.inject(Router);
    const go = spyOn(router, 'navigate').and.resolveTo(true);
    const c = fixture.componentInstance as unknown as { unitSearch: UnitSearch; open(code: string): void };
    await c.unitSearch.search(' 东山 ');
    expect(c.unitSearch.hits().map((u) => u.code)).toEqual(['360102001201']);
    expect(api.searchUnits).toHaveBeenCalledOnceWith('东山');
    c.open('360102001201');
    expect(go).toHaveBeenCalledOnceWith(['/network/units', '360102001201']);
  });

  it('shows a department user the figures but no links to unit pages, and only the pages they may open', async () => {
    signIn({ roles: ['department-user'] });
    const { el } = await renderComponent(UnitsComponent);
    expect(el.querySelector('a.unit-name')).toBeNull();
    expect(texts('span.unit-name', el)).toEqual(['江西省', '南昌市']);
    expect(el.querySelector('.unit-search')).toBeNull();
    expect(Array.from(el.querySelectorAll('.network-nav a')).map((a) => a.getAttribute('data-page'))).toEqual(['/network', '/network/units', '/network/access']);
  });
});
