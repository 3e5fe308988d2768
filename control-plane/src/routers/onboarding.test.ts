import { onboardingWorld, systemInput, type World } from '../testing/onboarding-fixtures.ts';
import { workflowsRepo } from '../engine/workflows-repo.ts';
import { cloudsRepo } from '../federation/clouds-repo.ts';
import { auditTrail, errorOf, snapshot } from '../testing/harness.ts';

describe('onboarding (in-process simulated clouds)', () => {
  let w: World;
  beforeEach(async () => (w = await onboardingWorld()));
  afterEach(async () => w.stop());

  it('previews the placement with a reason for every cloud, then onboards: tenant space, quota, on cloud', async () => {
    const s = await w.as.user.systems.create(systemInput({ mlpsLevel: 3 }));
    const preview = await w.as.user.onboarding.preview({ systemId: s.id });
    // nanchang is the department's city cloud; jx-province (province level) ranks next; jingdezhen is in
    // another city; xc-kunpeng offers only arm64.
    expect(preview.chosen).toBe('nanchang');
    expect(preview.candidates.map((c) => `${c.cloudId}:${c.eligible}`)).toEqual(['nanchang:true', 'jx-province:true', 'jingdezhen:true', 'xc-kunpeng:false']);
    expect(preview.candidates.find((c) => c.cloudId === 'xc-kunpeng')!.reasons.map((r) => r.en).join()).toContain('offers only arm64');
    expect(preview.candidates[0]!.reasons[0]!.en).toContain('chosen');
    expect(preview.candidates.every((c) => c.reasons.length > 0)).toBeTrue();

    const { workflowId } = await w.as.user.onboarding.start({ systemId: s.id, limits: [{ resourceClass: 'vcpu', limit: 32 }, { resourceClass: 'memoryGiB', limit: 64 }] });
    expect((await w.as.user.systems.get({ id: s.id })).status).toBe('onboarding');
    const wf = await w.settled(workflowId);
    expect(wf.status).toBe('succeeded');
    // The names the console titles the workflow with, in either language (the stored title stays English).
    const cloud = (await cloudsRepo.byId(w.deps.store, 'nanchang'))!;
    expect((wf.input as { names: unknown }).names).toEqual({ system: s.name, cloud: { zh: cloud.name, en: cloud.nameEn } });
    expect(cloud.name).not.toBe(cloud.nameEn);
    const got = await w.as.user.systems.get({ id: s.id });
    expect([got.status, got.cloudId]).toEqual(['on-cloud', 'nanchang']);
    const steps = await workflowsRepo.steps(w.deps.store, workflowId);
    expect(steps.map((st) => `${st.key}:${st.status}`)).toEqual(['admit:succeeded', 'place:succeeded', 'tenant-space:succeeded', 'quota:succeeded', 'extranet:succeeded', 'done:succeeded']);
    expect(steps.find((st) => st.key === 'extranet')!.output).toEqual({ addresses: [], skipped: 'no extranet inventory yet' });
    const sim = w.deps.federation.simulated('nanchang')!.cloud;
    expect(sim.observeTenantSpace({ name: `sys-${s.id}`, quota: { vcpu: 32, memoryGiB: 64, storageGiB: 0, gpu: 0 } }).exists).toBeTrue();
    const check = await w.deps.quotas.check(w.deps.store, { systemId: s.id, items: [{ cloudId: 'nanchang', resourceClass: 'vcpu', amount: 33 }] });
    expect(check.fits).toBeFalse();
    // Raising the system to 等保 4 on a cloud certified up to 3 makes it non-compliant where it runs.
    expect((await w.as.user.systems.list()).items.map((x) => x.compliant)).toEqual([true]);
    await w.as.user.systems.update({ id: s.id, mlpsLevel: 4 });
    const drifted = await w.as.user.systems.get({ id: s.id });
    expect([drifted.compliant, drifted.denials.map((d) => d.policyId)]).toEqual([false, ['require-mlps-certification']]);
    await w.as.user.systems.update({ id: s.id, mlpsLevel: 3 });
    const status = await w.as.user.onboarding.status({ systemId: s.id });
    expect(status.workflow!.status).toBe('succeeded');
    expect((await auditTrail(w.deps)).map((r) => `${r.procedure}:${r.outcome}`)).toEqual(['systems.create:ok', 'onboarding.start:ok', 'onboarding.complete:ok', 'systems.update:ok', 'systems.update:ok']);
  });

  it('unwinds what was done when the provider fails: no tenant space, no placement, registered again', async () => {
    const s = await w.as.user.systems.create(systemInput());
    await w.deps.federation.setFaults('nanchang', { errorRate: 1, ops: ['createTenantSpace'] });
    const { workflowId } = await w.as.user.onboarding.start({ systemId: s.id, cloudId: 'nanchang', limits: [{ resourceClass: 'vcpu', limit: 8 }] });
    expect((await w.settled(workflowId, 60_000)).status).toBe('failed');
    const steps = await workflowsRepo.steps(w.deps.store, workflowId);
    expect(steps.map((st) => `${st.key}:${st.status}`).sort()).toEqual(['admit:compensated', 'done:skipped', 'extranet:skipped', 'place:compensated', 'quota:skipped', 'tenant-space:failed'].sort());
    const got = await w.as.user.systems.get({ id: s.id });
    expect([got.status, got.cloudId]).toEqual(['registered', null]);
    const last = (await auditTrail(w.deps)).at(-1)!;
    expect([last.procedure, last.outcome, last.actor]).toEqual(['onboarding.complete', 'error', 'workflow']);
    expect(last.error).toContain('tenant-space failed');
  });

  it('refuses a classified system, a Xinchuang system on a general cloud and an unknown cloud, changing nothing', async () => {
    const secret = await w.as.user.systems.create(systemInput({ name: '涉密系统', dataClassification: 'classified' }));
    const xc = await w.as.user.systems.create(systemInput({ name: '信创系统', xinchuangRequired: true, architectures: ['arm64'] }));
    const count = async () => (await w.deps.store.query<{ n: number }>('SELECT count(*)::int AS n FROM workflows'))[0]!.n;
    const e1 = await errorOf(() => w.as.user.onboarding.start({ systemId: secret.id }));
    expect([e1.code, e1.message]).toEqual(['BAD_REQUEST', jasmine.stringContaining('classified') as unknown as string]);
    const e2 = await errorOf(() => w.as.user.onboarding.start({ systemId: xc.id, cloudId: 'nanchang' }));
    expect(e2.message).toContain('not a Xinchuang cloud');
    expect(Object.keys(e2.fieldErrors ?? {})).toEqual(['cloudId']);
    expect((await errorOf(() => w.as.user.onboarding.start({ systemId: xc.id, cloudId: 'nowhere' }))).code).toBe('NOT_FOUND');
    expect(await count()).toBe(0);
    expect((await w.as.user.systems.list()).items.every((x) => x.status === 'registered')).toBeTrue();
    // Placement chooses the Xinchuang cloud by itself.
    expect((await w.as.user.onboarding.preview({ systemId: xc.id })).chosen).toBe('xc-kunpeng');
  });

  const bad: [string, Record<string, unknown>, string, string][] = [
    ['a negative limit', { limits: [{ resourceClass: 'vcpu', limit: -1 }] }, 'BAD_REQUEST', 'limits.0.limit'],
    ['an absurd limit', { limits: [{ resourceClass: 'vcpu', limit: 1e12 }] }, 'BAD_REQUEST', 'limits.0.limit'],
    ['an unknown resource class', { limits: [{ resourceClass: 'tpu', limit: 4 }] }, 'BAD_REQUEST', 'limits.0.resourceClass'],
    ['a class given twice', { limits: [{ resourceClass: 'vcpu', limit: 4 }, { resourceClass: 'vcpu', limit: 8 }] }, 'BAD_REQUEST', 'limits'],
    ['a cloud id that is not a slug', { cloudId: 'Nan Chang' }, 'BAD_REQUEST', 'cloudId'],
    ['an unknown cloud', { cloudId: 'nowhere' }, 'NOT_FOUND', ''],
    ['a cloud that fails a rule (等保 4 on a level-3 cloud)', { cloudId: 'nanchang', mlps4: true }, 'BAD_REQUEST', 'cloudId'],
  ];
  for (const [why, input, code, field] of bad) {
    it(`refuses to onboard with ${why}, changing nothing`, async () => {
      const { mlps4, ...rest } = input;
      const s = await w.as.user.systems.create(systemInput(mlps4 ? { mlpsLevel: 4 } : {}));
      const state = async () => ({
        ...(await snapshot(w.deps)),
        ...(await w.deps.store.query<Record<string, unknown>>(`SELECT (SELECT count(*)::int FROM workflows) AS workflows, (SELECT count(*)::int FROM quota_nodes) AS nodes,
          (SELECT string_agg(status || coalesce(cloud_id, '-'), ',') FROM business_systems) AS systems`))[0],
      });
      const before = await state();
      const error = await errorOf(() => w.as.user.onboarding.start({ systemId: s.id, ...rest } as never));
      expect(error.code).withContext(error.message).toBe(code);
      if (field) expect(Object.keys(error.fieldErrors ?? {})).toEqual([field]);
      expect(await state()).toEqual(before);
    });
  }

  it('places a 等保三级 + DR level 4 + 信创 system on the default federation (the 信创 cloud has a same-city DR site), and says why the others cannot take it', async () => {
    const s = await w.as.user.systems.create(systemInput({ name: '信创灾备系统', mlpsLevel: 3, drLevel: 4, xinchuangRequired: true, architectures: ['arm64'] }));
    const preview = await w.as.user.onboarding.preview({ systemId: s.id });
    expect(preview.chosen).toBe('xc-kunpeng');
    const excluded = preview.candidates.filter((c) => !c.eligible);
    expect(excluded.map((c) => c.cloudId).sort()).toEqual(['jingdezhen', 'jx-province', 'nanchang']);
    for (const c of excluded) expect(c.results.some((r) => r.policyId === 'require-xinchuang-cloud' && r.outcome === 'deny')).withContext(c.cloudId).toBeTrue();
  });

  it('will not onboard a system twice', async () => {
    const s = await w.as.user.systems.create(systemInput());
    const { workflowId } = await w.as.user.onboarding.start({ systemId: s.id });
    expect((await errorOf(() => w.as.user.onboarding.start({ systemId: s.id }))).code).toBe('CONFLICT');
    await w.settled(workflowId);
  });
});

describe('policies API (in-process simulated clouds)', () => {
  let w: World;
  beforeEach(async () => (w = await onboardingWorld()));
  afterEach(async () => w.stop());

  it('lists the catalogue and dry-runs a described system against every cloud, changing nothing', async () => {
    const list = await w.as.user.policies.list();
    expect(list.items.map((p) => p.id)).toContain('require-dual-active-pair');
    const dr6 = await w.as.user.policies.dryRun({ system: systemInput({ drLevel: 6, mlpsLevel: 3 }) });
    // Only the Nanchang pair (nanchang + jx-province, both dual-active in 3601) can take DR level 6.
    expect(dr6.candidates.filter((c) => c.eligible).map((c) => c.cloudId).sort()).toEqual(['jx-province', 'nanchang']);
    expect(dr6.candidates.find((c) => c.cloudId === 'jingdezhen')!.reasons.map((r) => r.en).join()).toContain('not dual-active');
    expect(dr6.verdict.allowed).toBeTrue();
    expect((await auditTrail(w.deps)).length).toBe(0);
    // A registered system with no quota yet: asking for resources would be a quota increase.
    const s = await w.as.user.systems.create(systemInput());
    const withItems = await w.as.user.policies.dryRun({ systemId: s.id, items: [{ resourceClass: 'vcpu', amount: 4 }] });
    expect([withItems.quota!.cloudId, withItems.quota!.results[0]!.outcome, withItems.verdict.quotaIncrease]).toEqual(['nanchang', 'quota-increase', true]);
  });

  it('lets an admin relax a rule (audited), and nobody else', async () => {
    const secret = systemInput({ dataClassification: 'classified' });
    expect((await w.as.user.policies.dryRun({ system: secret })).verdict.allowed).toBeFalse();
    expect((await errorOf(() => w.as.deptAdmin.policies.setEnforcement({ policyId: 'refuse-classified-systems', enforcement: 'advisory' }))).code).toBe('FORBIDDEN');
    expect((await errorOf(() => w.as.admin.policies.setEnforcement({ policyId: 'no-such-rule' as never, enforcement: 'advisory' }))).code).toBe('BAD_REQUEST');
    await w.as.admin.policies.setEnforcement({ policyId: 'refuse-classified-systems', enforcement: 'advisory' });
    const relaxed = await w.as.user.policies.dryRun({ system: secret });
    expect([relaxed.verdict.allowed, relaxed.verdict.warnings.map((x) => x.policyId)]).toEqual([true, ['refuse-classified-systems']]);
    const trail = await auditTrail(w.deps);
    expect(trail.map((r) => `${r.procedure}:${r.outcome}`)).toEqual(['policies.setEnforcement:denied', 'policies.setEnforcement:error', 'policies.setEnforcement:ok']);
    expect(trail[2]!.after).toEqual({ enforcement: 'advisory' });
  });
});
