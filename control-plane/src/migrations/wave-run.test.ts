import { WorkflowRunner } from '../engine/runner.ts';
import { buildAddressing, buildExtranet, PLANES } from '../testing/extranet-fixtures.ts';
import { newId } from '../ids.ts';
import type { Store } from '../store/store.ts';
import { auditTrail, errorOf } from '../testing/harness.ts';
import { addDays } from './calendar.ts';
import { migrationWorld, nextMonday, type MigrationWorld } from '../testing/migration-fixtures.ts';
import { quotaKey } from './run-actions.ts';
import { stepKey, systemSteps } from './run-steps.ts';

/**
 * Running waves on the in-process simulated clouds: prechecks, the steps through the providers under
 * idempotency keys, rollback on failure and on the operator's request, and a runner that dies mid-wave.
 */
describe('migration waves: prechecks, execution, rollback, resume (in-process simulated clouds)', () => {
  let w: MigrationWorld;
  const first = nextMonday();

  beforeEach(async () => {
    w = await migrationWorld();
    await reachableExtranet(w);
    await w.as.taxAdmin.migrations.calendar.setSlots({ departmentId: w.tax.id, slots: [{ weekday: 6, start: '22:00', hours: 8 }] });
  }, 120_000);
  afterEach(async () => w.stop(), 60_000);

  /** The tax department's unit reaches the Kunpeng cloud on both planes over IPv4 and IPv6 (the extranet inventory). */
  async function reachableExtranet(world: MigrationWorld) {
    const db = world.deps.store;
    const devices = await buildExtranet(db, [{ unit: '3601', plane: 'plane-1' }, { unit: '3601', plane: 'plane-2' }]);
    const addressing = await buildAddressing(db);
    for (const p of PLANES) for (const f of ['ipv4', 'ipv6'] as const) await addressing.allocate('3601', p.id, f);
    await db.query('UPDATE access_units SET department_id = $1 WHERE code = $2', [world.tax.id, '3601']);
    for (const [i, p] of PLANES.entries()) {
      await db.query(
        `INSERT INTO extranet_cloud_attachments (cloud_id, plane_id, pe_device_id, vrf_id, prefix_v4, prefix_v6, probe_v4, probe_v6) VALUES ('xc-kunpeng', $1, $2, $3, $4, $5, $6, $7)`,
        [p.id, devices.get(i === 0 ? 'PE-1' : 'PE-2'), addressing.vrfs.get(p.id)!.vrf, `10.${200 + i}.0.0/16`, `240e:6b${i}:ff::/48`, `10.${200 + i}.0.1`, `240e:6b${i}:ff::1`],
      );
    }
  }

  /** Systems of the tax department on the provincial cloud, moving to the Kunpeng cloud in one approved wave. */
  async function approvedWave(systems: { name: string; dataGiB?: number; dr?: number }[]) {
    const linkId = (await w.as.operator.migrations.candidates.addLink({ label: '省政务云 → 鲲鹏云', source: { kind: 'cloud', cloudId: 'jx-province' }, targetCloudId: 'xc-kunpeng', gbps: 1, hoursPerWindow: 40 })).id;
    const candidates = [];
    for (const s of systems) {
      const systemId = await w.system(s.name, w.tax.id, { cloudId: 'jx-province', dr: s.dr });
      // The department's quota for the system on the target (what the quota precheck holds against).
      await w.deps.store.transaction(async (tx) => {
        await w.deps.quotas.ensureSystemNode(tx, { systemId, departmentId: w.tax.id, actor: 'spec' });
        await w.deps.quotas.setSystemLimits(tx, { systemId, actor: 'spec', reason: 'migration', limits: [{ cloudId: 'xc-kunpeng', resourceClass: 'vcpu', limit: 16 }] });
      });
      candidates.push(await w.as.operator.migrations.candidates.save({
        systemId, source: { kind: 'cloud', cloudId: 'jx-province' }, sourceArch: 'x86_64', sourceVendor: 'intel', sourceImage: 'centos-7.9',
        targetCloudId: 'xc-kunpeng', vcpu: 4, dataGiB: s.dataGiB ?? 10, linkId, group: 'together',
      }));
    }
    const plan = await w.as.operator.migrations.plans.create({ name: `wave-${newId().slice(0, 6)}`, firstWeek: first, weeks: 2, operatorHours: 200, candidateIds: candidates.map((c) => c.id) });
    await w.as.operator.migrations.plans.setCapacity({ planId: plan.id, pools: [{ key: 'xc-kunpeng/arm64', label: '鲲鹏云 arm64', steps: [{ fromWindow: 0, vcpu: 100 }] }] });
    const solved = await w.as.operator.migrations.plans.solve({ planId: plan.id, timeLimitSeconds: 1 });
    await w.settled(solved.workflowId);
    const approved = await w.as.operator.migrations.plans.approve({ versionId: solved.versionId });
    expect(approved.waves.length).toBe(1);
    return { waveId: approved.waves[0]!.id, candidates, plan };
  }

  const sim = (cloud: string) => w.deps.federation.simulated(cloud)!;
  const reservation = async (waveId: string, candidateId: string) =>
    (await w.deps.store.query<{ state: string }>('SELECT state FROM quota_reservations WHERE idempotency_key LIKE $1 ORDER BY created_at DESC LIMIT 1', [quotaKey(waveId, candidateId, '%')]))[0]?.state;
  const migrationState = async (cloud: string, systemId: string) => (await sim(cloud).migration.state()).find((s) => s.system === systemId);

  it('prechecks, runs every step through the providers once per key (a lost answer observed by key), and ends verified', async () => {
    const { waveId: wave2, candidates: [core] } = await approvedWave([{ name: '社保核心' }]);
    // A key event announced after the approval closes the wave's week: the precheck says so and holds nothing.
    const { weekStart } = await w.as.operator.migrations.waves.get({ id: wave2 });
    const blackout = await w.as.operator.migrations.calendar.addBlackout({ from: weekStart, to: addDays(weekStart, 6), reason: '重大活动保障' });
    const refused = await w.as.operator.migrations.waves.precheck({ id: wave2 });
    expect(refused.passed).toBeFalse();
    const window = refused.systems[0]!.verdicts.find((v) => v.check === 'window')!;
    expect([window.ok, window.en]).toEqual([false, jasmine.stringContaining('blackout: 重大活动保障')]);
    expect(refused.systems[0]!.verdicts.filter((v) => !v.ok).map((v) => v.check)).toEqual(['window']);
    expect(await reservation(wave2, core!.id)).toBe('released');
    expect((await errorOf(() => w.as.operator.migrations.waves.start({ id: wave2, soakSeconds: 0 }))).code).toBe('CONFLICT');
    await w.as.operator.migrations.calendar.removeBlackout({ id: blackout.id });

    const ok = await w.as.operator.migrations.waves.precheck({ id: wave2 });
    expect(ok.passed).withContext(JSON.stringify(ok.systems)).toBeTrue();
    expect(ok.systems[0]!.verdicts.map((v) => v.check)).toEqual(['quota', 'compatibility', 'extranet', 'dr', 'window']);
    expect(await reservation(wave2, core!.id)).toBe('held');
    // The source freeze's answer is lost: the step asks the cloud what became of its key instead of freezing twice.
    sim('jx-province').setFaults({ lostResponseRate: 1, ops: ['freezeSource'] });
    const started = await w.as.operator.migrations.waves.start({ id: wave2, soakSeconds: 0 });
    const twice = await errorOf(() => w.as.operator.migrations.waves.start({ id: wave2, soakSeconds: 0 }));
    expect([twice.code, twice.message]).toEqual(['CONFLICT', 'the wave is already running']);
    await new Promise((r) => setTimeout(r, 300));
    sim('jx-province').setFaults({});
    expect((await w.settled(started.workflowId)).status).toBe('succeeded');

    const wave = await w.as.taxUser.migrations.waves.get({ id: wave2 });
    expect(wave.status).toBe('verified');
    expect(wave.progress.systems[0]!.steps.map((s) => `${s.step}:${s.status}`)).toEqual(systemSteps(2).map((s) => `${s}:succeeded`));
    for (const step of ['copy', 'freeze-source', 'cut-over'] as const) {
      const cloud = step === 'freeze-source' ? 'jx-province' : 'xc-kunpeng';
      expect(`${step}: ${sim(cloud).effectsByIdempotencyKey(stepKey(wave2, core!.id, step))}`).toBe(`${step}: 1`);
    }
    expect(sim('jx-province').callsByIdempotencyKey(stepKey(wave2, core!.id, 'freeze-source'))).toBeGreaterThan(0);
    expect(await migrationState('xc-kunpeng', core!.systemId)).toEqual(jasmine.objectContaining({ servingHere: true }));
    expect(await reservation(wave2, core!.id)).toBe('committed');
    expect((await w.as.operator.migrations.candidates.get({ id: core!.id })).state).toBe('migrated');
    const [system] = await w.deps.store.query<{ cloudId: string }>('SELECT cloud_id AS "cloudId" FROM business_systems WHERE id = $1', [core!.systemId]);
    expect(system!.cloudId).toBe('xc-kunpeng');
    const done = await errorOf(() => w.as.operator.migrations.waves.rollback({ id: wave2, reason: '太晚了' }));
    expect([done.code, done.message]).toEqual(['CONFLICT', jasmine.stringContaining('only a running wave')]);
    expect((await auditTrail(w.deps)).filter((r) => r.procedure.startsWith('migrations.waves.')).map((r) => `${r.procedure}:${r.outcome}`))
      .toEqual(['migrations.waves.precheck:ok', 'migrations.waves.start:error', 'migrations.waves.precheck:ok', 'migrations.waves.start:ok', 'migrations.waves.start:error', 'migrations.waves.rollback:error']);
  }, 120_000);

  it('rolls back on failure: the source serves again, the copy is gone and the target quota released', async () => {
    const { waveId, candidates: [c] } = await approvedWave([{ name: '不动产登记' }]);
    expect((await w.as.operator.migrations.waves.precheck({ id: waveId })).passed).toBeTrue();
    sim('xc-kunpeng').setFaults({ errorRate: 1, ops: ['cutOver'] });
    const { workflowId } = await w.as.operator.migrations.waves.start({ id: waveId, soakSeconds: 0 });
    expect((await w.settled(workflowId)).status).toBe('failed');
    const wave = await w.as.operator.migrations.waves.get({ id: waveId });
    expect(wave.status).toBe('rolled-back');
    expect(wave.progress.systems[0]!.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      'prepare-target:compensated', 'copy:compensated', 'freeze-source:compensated', 'cut-over:failed', 'verify:skipped', 'soak:skipped', 'release-source:skipped',
    ]);
    // Thawed: the source takes writes again (a cloud with nothing frozen reports no record).
    expect((await migrationState('jx-province', c!.systemId))?.frozen ?? false).toBeFalse();
    expect(sim('jx-province').effectsByIdempotencyKey(stepKey(waveId, c!.id, 'freeze-source', true))).toBe(1);
    expect((await migrationState('xc-kunpeng', c!.systemId))?.copy).toBeUndefined();
    expect(await reservation(waveId, c!.id)).toBe('released');
    expect((await w.as.operator.migrations.candidates.get({ id: c!.id })).state).toBe('candidate');

    // The system's history keeps the attempt: the wave, its outcome and how far each step got. Its own
    // department reads it; another department's admin is told it does not exist.
    const history = await w.as.taxUser.migrations.candidates.history({ id: c!.id });
    expect(history.items.map((h) => `${h.waveId} ${h.status} ${h.confirmation}`)).toEqual([`${waveId} rolled-back pending`]);
    expect(history.items[0]!.steps.map((s) => `${s.step}:${s.status}`).slice(0, 4)).toEqual(['prepare-target:compensated', 'copy:compensated', 'freeze-source:compensated', 'cut-over:failed']);
    expect(history.items[0]!.planName).toMatch(/^wave-/);
    expect((await errorOf(() => w.as.healthAdmin.migrations.candidates.history({ id: c!.id }))).code).toBe('NOT_FOUND');
  }, 120_000);

  it('rolls back on the operator\'s request mid-copy: the copy is cancelled, the source never frozen, the quota released', async () => {
    // 2 TiB over 1 Gbit/s: about 5 hours, 18 s at the world's time scale.
    const { waveId, candidates: [big] } = await approvedWave([{ name: '大数据平台', dataGiB: 2048 }]);
    expect((await w.as.operator.migrations.waves.precheck({ id: waveId })).passed).toBeTrue();
    const { workflowId } = await w.as.operator.migrations.waves.start({ id: waveId, soakSeconds: 0 });
    for (let i = 0; i < 2000 && !(await migrationState('xc-kunpeng', big!.systemId))?.copy; i++) await new Promise((r) => setTimeout(r, 10));
    await w.as.operator.migrations.waves.rollback({ id: waveId, reason: '业务方要求推迟' });
    expect((await w.settled(workflowId)).status).toBe('cancelled');
    const wave = await w.as.operator.migrations.waves.get({ id: waveId });
    expect(wave.status).toBe('rolled-back');
    expect(wave.progress.systems[0]!.steps.slice(0, 3).map((s) => `${s.step}:${s.status}`)).toEqual(['prepare-target:compensated', 'copy:failed', 'freeze-source:skipped']);
    expect((await migrationState('xc-kunpeng', big!.systemId))?.copy).toBeUndefined();
    expect((await migrationState('jx-province', big!.systemId))?.frozen ?? false).toBeFalse();
    expect(await reservation(waveId, big!.id)).toBe('released');
  }, 120_000);

  it('refuses a rollback once a source of the wave has been released, naming it', async () => {
    const { waveId, candidates: [big, small] } = await approvedWave([{ name: '档案系统', dataGiB: 400 }, { name: '办公系统', dataGiB: 1 }]);
    expect((await w.as.operator.migrations.waves.precheck({ id: waveId })).passed).toBeTrue();
    await w.as.operator.migrations.waves.start({ id: waveId, soakSeconds: 0 });
    const stepStatus = async (candidateId: string, step: string) => (await w.as.operator.migrations.waves.get({ id: waveId })).progress.systems.find((s) => s.candidateId === candidateId)!.steps.find((s) => s.step === step)!.status;
    for (let i = 0; i < 2000 && (await stepStatus(small!.id, 'release-source')) !== 'succeeded'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await stepStatus(big!.id, 'copy')).toBe('running');
    const refused = await errorOf(() => w.as.operator.migrations.waves.rollback({ id: waveId, reason: '业务方要求' }));
    expect([refused.code, refused.message]).toEqual(['CONFLICT', 'the source of 办公系统 has been released: there is nothing to roll back to']);
  }, 120_000);

  it('resumes after the runner dies mid-wave (its store cut off, as kill -9 leaves it): no step done twice', async () => {
    const { waveId, candidates: [c] } = await approvedWave([{ name: '公积金系统', dataGiB: 200 }]);
    expect((await w.as.operator.migrations.waves.precheck({ id: waveId })).passed).toBeTrue();
    // Only a runner that will die works on the wave: the world's runner stops first.
    await w.runner.stop();
    const doomed = severable(w.deps.store);
    const dying = new WorkflowRunner({ ...w.deps, store: doomed.store }, { owner: 'doomed', concurrency: 4, leaseMs: 500, pollMs: 10, retryBaseMs: 2 });
    dying.start();
    const { workflowId } = await w.as.operator.migrations.waves.start({ id: waveId, soakSeconds: 0 });
    const step = async (key: string) => (await w.deps.store.query<{ status: string; owner: string | null }>('SELECT status, lease_owner AS owner FROM workflow_steps WHERE workflow_id = $1 AND key = $2', [workflowId, key]))[0]!;
    for (let i = 0; i < 3000 && (await step(`${c!.id}:copy`)).status !== 'running'; i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    doomed.kill();
    expect(await step(`${c!.id}:copy`)).toEqual({ status: 'running', owner: 'doomed' });
    // A new runner takes the step over once its lease runs out and finishes the wave.
    w.restartRunner('after-restart');
    expect((await w.settled(workflowId)).status).toBe('succeeded');
    for (const [s, cloud] of [['copy', 'xc-kunpeng'], ['freeze-source', 'jx-province'], ['cut-over', 'xc-kunpeng']] as const) {
      expect(`${s}: ${sim(cloud).effectsByIdempotencyKey(stepKey(waveId, c!.id, s))}`).toBe(`${s}: 1`);
    }
    const takeovers = await w.deps.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM workflow_events WHERE workflow_id = $1 AND kind = 'step.started' AND step_key = $2`, [workflowId, `${c!.id}:copy`]);
    expect(takeovers[0]!.n).toBe(2);
    expect((await w.as.operator.migrations.waves.get({ id: waveId })).status).toBe('verified');
    await dying.stop(0).catch(() => undefined);
  }, 120_000);

  it('never runs a wave twice when two control planes are asked to start it at once: one workflow, every step started once', async () => {
    const { waveId, candidates } = await approvedWave([{ name: '医保结算', dataGiB: 20 }, { name: '医保查询', dataGiB: 5 }]);
    expect((await w.as.operator.migrations.waves.precheck({ id: waveId })).passed).toBeTrue();
    // A second control plane: its own runner on the same database, claiming steps beside the world's runner.
    const second = new WorkflowRunner(w.deps, { owner: 'second-plane', concurrency: 4, leaseMs: 1000, pollMs: 10, retryBaseMs: 2 });
    second.start();
    try {
      // Both planes (and a double click on each) ask to start the same wave together.
      const answers = await Promise.allSettled(Array.from({ length: 4 }, () => w.as.operator.migrations.waves.start({ id: waveId, soakSeconds: 0 })));
      const started = answers.filter((a) => a.status === 'fulfilled').map((a) => (a as PromiseFulfilledResult<{ workflowId: string }>).value);
      const refused = answers.filter((a) => a.status === 'rejected').map((a) => (a as PromiseRejectedResult).reason as { code?: string });
      expect(started.length).toBe(1);
      expect(refused.map((e) => e.code)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
      const [{ workflowId }] = started as [{ workflowId: string }];
      const waveWorkflows = await w.deps.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM workflows WHERE kind = 'migration.wave' AND input->>'waveId' = $1`, [waveId]);
      expect(waveWorkflows[0]!.n).toBe(1);
      expect((await w.settled(workflowId)).status).toBe('succeeded');
      // Each step started exactly once, whichever plane claimed it; each cloud effect happened once.
      const starts = await w.deps.store.query<{ key: string; n: number }>(
        `SELECT step_key AS key, count(*)::int AS n FROM workflow_events WHERE workflow_id = $1 AND kind = 'step.started' GROUP BY step_key`, [workflowId]);
      expect(starts.length).toBe(systemSteps(2).length * 2);
      expect(starts.filter((s) => s.n !== 1)).toEqual([]);
      for (const c of candidates) {
        for (const [s, cloud] of [['copy', 'xc-kunpeng'], ['freeze-source', 'jx-province'], ['cut-over', 'xc-kunpeng']] as const) {
          expect(`${c.id} ${s}: ${sim(cloud).effectsByIdempotencyKey(stepKey(waveId, c.id, s))}`).toBe(`${c.id} ${s}: 1`);
        }
      }
      expect((await w.as.operator.migrations.waves.get({ id: waveId })).status).toBe('verified');
    } finally {
      await second.stop();
    }
  }, 120_000);
});

/** A store whose every call fails from `kill()` on: what a process killed with SIGKILL can still write. */
function severable(store: Store) {
  let dead = false;
  const gone = () => Promise.reject(new Error('the process is gone'));
  return {
    kill: () => { dead = true; },
    store: {
      ...store,
      kind: store.kind,
      query: ((sql: string, params?: readonly unknown[]) => (dead ? gone() : store.query(sql, params))) as Store['query'],
      transaction: ((fn: Parameters<Store['transaction']>[0]) => (dead ? gone() : store.transaction(fn))) as Store['transaction'],
      exec: store.exec.bind(store),
      close: store.close.bind(store),
    } as Store,
  };
}
