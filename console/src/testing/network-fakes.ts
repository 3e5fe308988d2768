/** Spec support for the extranet pages: a fake NetworkApiService and sample answers shaped like the server's. */
import { setUpConsoleSpec } from './test-helpers';
import { NetworkApiService } from '../app/network/network-api.service';
import type { AccessResult, CoverageReport, TreeNode, UnitDetail } from '../app/network/network-types';

export type FakeNetworkApi = jasmine.SpyObj<NetworkApiService>;

export function createFakeNetworkApi(): FakeNetworkApi {
  const api = jasmine.createSpyObj<NetworkApiService>('NetworkApiService', [
    'planes', 'tree', 'unit', 'searchUnits', 'devices', 'report', 'history', 'singleHomed', 'sharedRisk', 'whatIf',
    'departmentNetworks', 'check', 'checkHistory', 'importCsv', 'exportCsv', 'setLinkState',
  ]);
  api.planes.and.resolveTo({ items: [
    { id: 'plane-1', name: '平面一', nameEn: 'Plane 1', technology: 'mpls-vpn', addressFamilies: ['ipv4', 'ipv6'] },
    { id: 'plane-2', name: '平面二', nameEn: 'Plane 2', technology: 'srv6', addressFamilies: ['ipv4', 'ipv6'] },
  ] });
  api.tree.and.resolveTo({ items: [] });
  api.devices.and.resolveTo({ items: [], nextCursor: null });
  api.report.and.resolveTo(sampleReport());
  api.history.and.resolveTo({ items: [] });
  api.singleHomed.and.resolveTo({ items: [], nextCursor: null });
  api.sharedRisk.and.resolveTo({ items: [], nextCursor: null });
  api.departmentNetworks.and.resolveTo({ states: [], networks: [] });
  api.checkHistory.and.resolveTo({ items: [] });
  api.searchUnits.and.resolveTo({ items: [] });
  return api;
}

/** setUpConsoleSpec for an extranet page: the fake NetworkApiService beside the typed client; returns the former. */
export function setUpNetworkSpec(imports: unknown[]): FakeNetworkApi {
  const network = createFakeNetworkApi();
  setUpConsoleSpec({ imports, providers: [{ provide: NetworkApiService, useValue: network }] });
  return network;
}

const cells = (p: string) => [
  { planeId: p, family: 'ipv4' as const, link: 0, addr: 0, reach: 0, ready: 0 },
  { planeId: p, family: 'ipv6' as const, link: 0, addr: 0, reach: 0, ready: 0 },
];

export const sampleNode = (over: Partial<TreeNode> = {}): TreeNode => ({
  code: '36', name: '江西省', level: 'province', synthetic: false, hasChildren: true,
  units: 100, dualPlane: 95, singleHomed: 3, none: 2, ipv6Ready: 40, cells: [...cells('plane-1'), ...cells('plane-2')], ...over,
});

export function sampleReport(): CoverageReport {
  const f = { units: 200, dualPlane: 120, singleHomed: 50, none: 30, ipv6Ready: 60 };
  return {
    planes: [{ id: 'plane-1', name: '平面一', nameEn: 'Plane 1' }, { id: 'plane-2', name: '平面二', nameEn: 'Plane 2' }],
    total: f,
    byLevel: [{ level: 'city', ...f }],
    byCity: [{ code: '3601', name: '南昌市', ...f }],
    cells: [{ planeId: 'plane-1', family: 'ipv6', link: 150, addr: 140, reach: 100, ready: 90 }],
    cellsByCity: [],
  };
}

export function sampleUnit(): UnitDetail {
  return {
    unit: { code: '360102001201', name: '东山村', level: 'village', parentCode: '360102001', divisionCode: null, siteKind: null, contactName: '李伟', contactPhone: '13800000001',
      synthetic: true, departmentId: null, cityCode: '3601', countyCode: '360102', townshipCode: '360102001' },
    ancestry: [{ code: '36', name: '江西省', level: 'province' }, { code: '3601', name: '南昌市', level: 'city' }, { code: '360102001201', name: '东山村', level: 'village' }],
    links: [{ id: 'l-1', circuitId: 'P1-V1', unitCode: '360102001201', planeId: 'plane-1', peDeviceId: 'd-1', interfaceId: null, aggDeviceId: 'd-2', ceDeviceId: null,
      bandwidthMbps: 50, carrier: '中国电信', ducts: ['D-A'], families: ['ipv4', 'ipv6'], state: 'up', peName: 'PE-3601-P1', interfaceName: 'GE0/0/1', aggName: 'AGG-360102-P1', ceName: null }],
    addresses: [{ cidr: '10.0.1.0/29', family: 'ipv4', planeId: 'plane-1', vrf: 'extranet-plane-1', kind: 'assigned' }],
    matrix: [
      { planeId: 'plane-1', family: 'ipv4', link: true, addr: true, reach: true, reachAt: null, reachSource: 'inventory' },
      { planeId: 'plane-1', family: 'ipv6', link: true, addr: false, reach: false, reachAt: null, reachSource: null },
      { planeId: 'plane-2', family: 'ipv4', link: false, addr: false, reach: false, reachAt: null, reachSource: null },
      { planeId: 'plane-2', family: 'ipv6', link: false, addr: false, reach: false, reachAt: null, reachSource: null },
    ],
    checks: [],
    children: 0,
  };
}

export function sampleAccess(over: Partial<AccessResult> = {}): AccessResult {
  return {
    ok: false, reason: 'vrf-not-imported', reasons: ['vrf-not-imported'],
    path: [
      { kind: 'unit', name: '东山村 (360102001201)', status: 'ok' },
      { kind: 'link', name: 'P1-V1 · 中国电信', status: 'ok' },
      { kind: 'vrf', name: 'DEPT-X → EXT', status: 'blocked', reason: 'vrf-not-imported', detail: 'DEPT-X imports none of EXT’s export targets', detailZh: 'DEPT-X 未引入 EXT 的任何导出路由目标' },
      { kind: 'system', name: '社保卡系统', status: 'unknown' },
    ],
    probe: { peCloudId: null, peName: 'PE-3601-P1', target: '172.16.0.1', vpnInstance: 'DEPT-X' },
    system: { id: 's-1', name: '社保卡系统', cloudId: 'jx-province' },
    live: { status: 'unavailable', message: 'PE-3601-P1 has no SSH-managed device behind it', messageZh: 'PE-3601-P1 背后没有经 SSH 管理的设备' },
    at: '2026-03-01T02:03:04.000Z',
    ...over,
  };
}
