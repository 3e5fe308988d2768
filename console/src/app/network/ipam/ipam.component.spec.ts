import { TestBed } from '@angular/core/testing';
import { settle, texts, signIn, setUpConsoleSpec } from '../../../testing/test-helpers';
import { IpamApiService } from './ipam-api.service';
import { IpamComponent } from './ipam.component';
import type { Vrf } from './ipam-types';

const vrf = (over: Partial<Vrf> = {}): Vrf => ({
  id: 'v1', name: 'EGOV-P1', rd: '65001:1', importTargets: ['65001:1'], exportTargets: ['65001:1'], planeId: 'plane-1',
  departmentId: null, kind: 'extranet', migrationState: null, description: '', ...over,
});

describe('IpamComponent', () => {
  it('loads the VRFs, opens the first one in the prefix tree and lists them with their route targets', async () => {
    const ipam = jasmine.createSpyObj<IpamApiService>('IpamApiService', ['vrfs', 'prefixes', 'prefix', 'allocatePrefix', 'importPrefixes', 'exportPrefixes', 'templates']);
    ipam.vrfs.and.resolveTo({ items: [vrf(), vrf({ id: 'v2', name: 'DEPT-POLICE', kind: 'department', rd: '65001:900', importTargets: [], exportTargets: ['65001:900'], migrationState: 'in-progress', planeId: null })] });
    ipam.prefixes.and.resolveTo({ items: [], nextCursor: null });
    ipam.templates.and.resolveTo({ items: [] });
    setUpConsoleSpec({ providers: [{ provide: IpamApiService, useValue: ipam }] });
    signIn({ roles: ['auditor'] });
    const fixture = TestBed.createComponent(IpamComponent);
    fixture.detectChanges();
    await settle(fixture);
    expect(ipam.prefixes).toHaveBeenCalledWith('v1', null);
    const el = fixture.nativeElement as HTMLElement;
    (el.querySelectorAll('.ant-tabs-tab-btn')[1] as HTMLElement).click();
    await settle(fixture);
    const rows = Array.from(el.querySelectorAll('.vrf-row')).map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim()));
    expect(rows).toEqual([
      ['EGOV-P1', '政务外网', '65001:1', '65001:1 / 65001:1', 'plane-1', ''],
      ['DEPT-POLICE', '部门专网', '65001:900', '/ 65001:900', '', '迁移中'],
    ]);
    expect(texts('.ant-tabs-tab-btn', el)).toEqual(['前缀树', 'VRF / 地址空间', '单位双栈分配', 'CSV 导入导出']);
  });
});
