import { approveThroughChain, hosts, onboardingLimits, segment, worldWithSystem, type World } from '../testing/onboarding-fixtures.ts';
import { tenantNameOf } from '../onboarding/onboarding-actions.ts';
import { errorOf } from '../testing/harness.ts';

const LIMITS = onboardingLimits({ vcpu: 16 });

describe('idle resources as reclamation candidates, from the clouds’ utilisation (in-process simulated clouds)', () => {
  let w: World;
  let systemId: string;

  beforeEach(async () => {
    ({ w, systemId } = await worldWithSystem({ pools: ['nanchang'], limits: LIMITS }));
    const r = await w.as.user.requests.submit({ systemId, title: '两台主机', cloudId: 'nanchang', resources: [segment, hosts] });
    expect((await approveThroughChain(w, r.id)).status).toBe('succeeded');
  }, 120_000);
  afterEach(async () => w.stop());

  it('lists the host the cloud measures as idle, quietest first, for operators only; a cloud that cannot answer is named', async () => {
    const web1 = (await w.as.user.resources.list({ limit: 50 })).items.find((r) => r.name === 'web-1')!;
    // The cloud measures web-1 nearly idle; web-2 keeps its modelled use (never below 10 % CPU).
    w.deps.federation.simulated('nanchang')!.cloud.setUtilisation({ tenant: tenantNameOf(systemId), kind: 'vm', name: web1.cloudName }, { cpuPercent: 1.5, memoryPercent: 20 });

    const idle = await w.as.operator.resources.idle();
    expect(idle.sources).toEqual([{ cloudId: 'nanchang', status: 'measured' }]);
    expect(idle.items.map((i) => [i.name, i.kind, i.systemId, i.cpuPercent, i.memoryPercent, i.windowHours, i.quota.vcpu])).toEqual([['web-1', 'host', systemId, 1.5, 20, 24, 4]]);

    const all = await w.as.operator.resources.idle({ maxCpuPercent: 100, maxMemoryPercent: 100 });
    expect(all.items.map((i) => i.name)).toEqual(['web-1', 'web-2']);
    expect((await w.as.operator.resources.idle({ cloudId: 'jx-province' })).items).toEqual([]);

    // Department roles do not get the province's reclamation list.
    for (const who of [w.as.user, w.as.deptAdmin]) expect((await errorOf(() => who.resources.idle())).code).toBe('FORBIDDEN');
    const bad = await errorOf(() => w.as.operator.resources.idle({ maxCpuPercent: 150 }));
    expect([bad.code, Object.keys(bad.fieldErrors ?? {})]).toEqual(['BAD_REQUEST', ['maxCpuPercent']]);

    // The cloud is down: no candidates guessed, the cloud named as unavailable.
    await w.deps.federation.setFaults('nanchang', { down: true });
    const down = await w.as.operator.resources.idle();
    expect([down.items, down.sources.map((s) => [s.cloudId, s.status])]).toEqual([[], [['nanchang', 'unavailable']]]);
    await w.deps.federation.setFaults('nanchang', {});
  }, 120_000);
});
