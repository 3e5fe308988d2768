import type { Role } from '../core/api-types';
import { press, setUpConsoleSpec, texts, typeInto, renderComponent } from '../../testing/test-helpers';
import { DeviceDetailComponent } from './device-detail.component';
import { DevicesApiService, type DeviceFacts, type ProbeRecord } from './devices-api.service';

const facts = (over: Partial<DeviceFacts> = {}): DeviceFacts => ({
  id: 'sw-core', providerKind: 'network-device', kubernetes: null,
  ssh: { host: '10.0.0.1', port: 22, username: 'ganyun', vendor: 'huawei-vrp' },
  pinnedKey: { fingerprint: 'SHA256:pinned', acceptedBy: 'root', acceptedAt: '2026-01-01T00:00:00.000Z' },
  openAlarms: [], host: null,
  interfaces: [{ name: 'GE0/0/1', physical: 'up', protocol: 'up', spoofing: false, primaryIpv4: '10.1.1.1', ipv6: ['2408:8000::1'] }],
  vpnInstances: [{ name: 'GOV-EXTRANET', rd: '100:1', addressFamilies: ['ipv4', 'ipv6'] }],
  counts: { interface: 1, 'vpn-instance': 1 }, capacity: [], nodes: [], nodesError: null, ...over,
});

const probe = (over: Partial<ProbeRecord> = {}): ProbeRecord => ({
  id: 'p1', cloudId: 'sw-core', target: '10.2.2.2', family: 4, vpnInstance: 'GOV-EXTRANET', count: 3, outcome: 'reachable',
  transmitted: 3, received: 3, lossPercent: 0, rttMs: { min: 1, avg: 2, max: 3 }, errorCode: null, error: null,
  requestedBy: 'neteng', startedAt: '2026-03-01T02:03:00.000Z', finishedAt: '2026-03-01T02:03:04.000Z', ...over,
});

describe('DeviceDetailComponent', () => {
  let api: jasmine.SpyObj<DevicesApiService>;
  beforeEach(() => {
    api = jasmine.createSpyObj<DevicesApiService>('DevicesApiService', ['facts', 'probes', 'runProbe', 'rotateCredential']);
    api.rotateCredential.and.resolveTo({ id: 'sw-core', credentialType: 'password' });
    api.facts.and.resolveTo(facts());
    api.probes.and.resolveTo({ items: [probe({ id: 'old', outcome: 'error', lossPercent: null, rttMs: null, error: 'timeout' })], nextCursor: null });
    api.runProbe.and.resolveTo(probe());
    setUpConsoleSpec({ imports: [DeviceDetailComponent], providers: [{ provide: DevicesApiService, useValue: api }] });
  });

  const render = (roles: Role[] = ['network-engineer']) => renderComponent(DeviceDetailComponent, { me: { roles }, inputs: { id: 'sw-core' } });

  it('shows the device inventory: interfaces with IPv6, VPN instances, the pinned key', async () => {
    const { el } = await render();
    expect(texts('.interfaces tbody td', el).slice(0, 5)).toEqual(['GE0/0/1', 'up', 'up', '10.1.1.1', '2408:8000::1']);
    expect(texts('.vpn-instances tbody td', el)).toEqual(['GOV-EXTRANET', '100:1', 'ipv4, ipv6']);
    expect(el.querySelector('code.pinned')?.textContent).toBe('SHA256:pinned');
    expect(el.querySelector('.alarm-banner')).toBeNull();
  });

  it('runs a probe in a VPN instance and shows the result on top of the history', async () => {
    const { fixture, el } = await render();
    typeInto(el.querySelector('#probe-target'), '10.2.2.2');
    typeInto(el.querySelector('#probe-vpn'), 'GOV-EXTRANET');
    await press(fixture, el.querySelector('button.run-probe'));
    expect(api.runProbe).toHaveBeenCalledWith({ cloudId: 'sw-core', target: '10.2.2.2', count: 3, vpnInstance: 'GOV-EXTRANET' });
    expect(el.querySelector('.last-probe')?.getAttribute('data-outcome')).toBe('reachable');
    expect(el.querySelectorAll('.probe-history tbody tr').length).toBe(2);
    expect(el.querySelector('.probe-chart')).withContext('round trips charted').not.toBeNull();
    expect(texts('.probe-history tbody tr:first-child td', el)[1]).toBe('10.2.2.2');
  });

  it('an admin rotates the credential (password here); the secret leaves the form; others see no form', async () => {
    const { fixture, el } = await render(['admin']);
    typeInto(el.querySelector('textarea.rotate-secret'), 'New-Pass-2026');
    await press(fixture, el.querySelector('button.rotate-submit'));
    expect(api.rotateCredential).toHaveBeenCalledWith('sw-core', { type: 'password', password: 'New-Pass-2026' });
    expect(el.querySelector('.rotated')).not.toBeNull();
    expect((el.querySelector('textarea.rotate-secret') as HTMLTextAreaElement).value).toBe('');
  });

  it('refuses a target that is not an IP address before calling the server', async () => {
    const { fixture, el } = await render();
    typeInto(el.querySelector('#probe-target'), 'example.org');
    await press(fixture, el.querySelector('button.run-probe'));
    expect(api.runProbe).not.toHaveBeenCalled();
  });

  it('shows open host-key alarms; an auditor sees history but cannot probe', async () => {
    api.facts.and.resolveTo(facts({ openAlarms: [{ id: 1, expectedFingerprint: 'SHA256:old', presentedFingerprint: 'SHA256:new', occurrences: 2, lastSeenAt: '2026-03-01T00:00:00.000Z' }] }));
    const { el } = await render(['auditor']);
    expect(el.querySelector('.alarm-banner')?.textContent).toContain('SHA256:new');
    expect(el.querySelector('.rotate')).toBeNull();
    expect(el.querySelector('button.run-probe')).toBeNull();
    expect(el.querySelectorAll('.probe-history tbody tr').length).toBe(1);
  });

  it('a Linux host shows its facts; a cluster its namespaces, workloads and node capacity', async () => {
    api.facts.and.resolveTo(facts({
      providerKind: 'kubernetes', ssh: null, pinnedKey: null, interfaces: [], vpnInstances: [],
      kubernetes: { server: 'https://k8s.nc.gov.cn:6443', context: null, insecureSkipTlsVerify: false },
      counts: { 'tenant-space': 4, workload: 9 }, capacity: [{ arch: 'arm64', vendor: 'kunpeng', resourceClass: 'vcpu', total: 128, used: 40, overcommit: 1 }],
      nodes: [{ name: 'node-arm-1', arch: 'arm64', vendor: 'kunpeng', zone: 'az2', ready: true, capacity: { vcpu: 64, memoryGiB: 256, storageGiB: 2000, gpu: 0 }, allocatable: { vcpu: 63, memoryGiB: 254, storageGiB: 1900, gpu: 0 } }],
    }));
    const { el } = await render();
    expect(texts('.nodes tbody td', el).slice(0, 3)).toEqual(['node-arm-1', 'arm64/kunpeng', 'az2']);
    expect(el.textContent).toContain('https://k8s.nc.gov.cn:6443');
    expect(texts('.capacity tbody td', el)).toEqual(['arm64/kunpeng', 'vcpu', '40 / 128']);
    expect(el.querySelector('.probe')).toBeNull();
  });
});
