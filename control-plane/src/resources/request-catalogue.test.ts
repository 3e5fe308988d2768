import { onboardingWorld, systemInput, type World } from '../testing/onboarding-fixtures.ts';
import { errorOf } from '../testing/harness.ts';
import { seedResourcePools } from '../testing/resource-pools.ts';
import { offerFor } from './request-catalogue.ts';

describe('requests.catalogue: what the request form offers, from the cloud’s real catalogue', () => {
  let w: World;
  beforeEach(async () => {
    w = await onboardingWorld();
    await seedResourcePools(w.deps.store, ['nanchang']);
  });
  afterEach(async () => w.stop());

  it('lists the clouds placement allows and, for the named one, its platforms, images, kinds and networks', async () => {
    const { id } = await w.as.user.systems.create(systemInput({ architectures: ['x86_64'] }));
    const c = await w.as.user.requests.catalogue({ systemId: id, cloudId: 'nanchang' });
    expect(c.cloudId).toBe('nanchang');
    expect(c.clouds.map((x) => x.cloudId).sort()).toEqual(['jingdezhen', 'jx-province', 'nanchang', 'xc-kunpeng']);
    // The Xinchuang cloud is arm64 only: the x86_64 system cannot go there, and the list says why.
    const kunpeng = c.clouds.find((x) => x.cloudId === 'xc-kunpeng')!;
    expect([kunpeng.eligible, kunpeng.reasons.length > 0]).toEqual([false, true]);
    expect(c.flavours.find((f) => f.id === 'c4m8')).toEqual({ id: 'c4m8', vcpu: 4, memoryGiB: 8 });
    expect(c.kinds).toEqual(['host', 'volume', 'workload', 'segment']);
    // Every allowed platform is x86_64; every image offered has an x86_64 build (and only that is listed).
    expect(c.platforms.filter((p) => p.refusal === null).every((p) => p.arch === 'x86_64')).toBeTrue();
    expect(c.images.length).toBeGreaterThan(0);
    expect(c.images.every((i) => i.arches.length === 1 && i.arches[0] === 'x86_64')).toBeTrue();
    expect(c.networks).toEqual([{ network: 'extranet', ipv4: true, ipv6: true }, { network: 'internet', ipv4: true, ipv6: true }]);
    expect([c.segments, c.hosts]).toEqual([[], []]);
  });

  it('marks as 选中 the cloud the form will use (the named one), and placement\'s own first choice by its rank', async () => {
    const { id } = await w.as.user.systems.create(systemInput({ architectures: ['x86_64'] }));
    const placed = await w.as.user.requests.catalogue({ systemId: id });
    const chosen = (x: { reasons: { zh: string }[] }) => x.reasons.some((r) => r.zh.startsWith('选中'));
    const first = placed.cloudId!;
    expect(placed.clouds.filter(chosen).map((x) => x.cloudId)).toEqual([first]);
    const other = placed.clouds.find((x) => x.eligible && x.cloudId !== first)!;
    const named = await w.as.user.requests.catalogue({ systemId: id, cloudId: other.cloudId });
    expect(named.cloudId).toBe(other.cloudId);
    expect(named.clouds.filter(chosen).map((x) => x.cloudId)).toEqual([other.cloudId]);
    const note = named.clouds.find((x) => x.cloudId === other.cloudId)!.reasons.find((r) => r.zh.startsWith('选中'))!;
    expect(note.zh).toMatch(/^选中：申请指定此云（满足全部规则，排名第[2-9]）$/);
    expect(note.en).toMatch(/^chosen: named for this request \(meets every rule; ranked [2-9]\)$/);
    expect(named.clouds.find((x) => x.cloudId === first)!.reasons.map((r) => r.zh)).toContain('满足全部规则，排名第1');
  });

  it('refuses a cloud the system may not run on, naming the field and the reason', async () => {
    const { id } = await w.as.user.systems.create(systemInput({ architectures: ['x86_64'] }));
    const e = await errorOf(() => w.as.user.requests.catalogue({ systemId: id, cloudId: 'xc-kunpeng' }));
    expect([e.status, e.reason.path, e.reason.code]).toEqual([400, ['cloudId'], 'placement.noCloud']);
  });

  it('is the department’s: another department’s user is refused, a bad id is named', async () => {
    const { id } = await w.as.user.systems.create(systemInput());
    expect((await errorOf(() => w.as.otherUser.requests.catalogue({ systemId: id }))).status).toBe(403);
    expect((await errorOf(() => w.as.operator.requests.catalogue({ systemId: id }))).status).toBe(403);
    const bad = await errorOf(() => w.as.user.requests.catalogue({ systemId: id, cloudId: 'Not A Cloud' }));
    expect([bad.status, bad.reason.issues?.[0]?.path]).toEqual([400, ['cloudId']]);
  });
});

describe('offerFor: the system’s 信创 and architecture needs over a catalogue', () => {
  const catalogue = {
    resourceKinds: ['vm', 'volume'] as const, zones: ['az1'],
    platforms: [{ arch: 'x86_64', vendor: 'intel' }, { arch: 'x86_64', vendor: 'hygon' }, { arch: 'arm64', vendor: 'kunpeng' }] as const,
    images: [{ id: 'kylin', name: 'Kylin V10', arches: ['x86_64', 'arm64'], legacy: false }, { id: 'win', name: 'Windows', arches: ['x86_64'], legacy: false }] as const,
  };

  it('a 信创 system on x86_64 gets only Hygon, and images with an x86_64 build', () => {
    const o = offerFor({ architectures: ['x86_64'], xinchuangRequired: true }, catalogue as never);
    expect(o.platforms).toEqual([
      { arch: 'x86_64', vendor: 'intel', refusal: 'xinchuang' }, { arch: 'x86_64', vendor: 'hygon', refusal: null }, { arch: 'arm64', vendor: 'kunpeng', refusal: 'architecture' },
    ]);
    expect(o.images.map((i) => `${i.id}:${i.arches.join('+')}`)).toEqual(['kylin:x86_64', 'win:x86_64']);
    expect(o.kinds).toEqual(['host', 'volume']);
  });

  it('an arm64 system gets no image without an arm64 build', () => {
    const o = offerFor({ architectures: ['arm64'], xinchuangRequired: false }, catalogue as never);
    expect(o.images.map((i) => i.id)).toEqual(['kylin']);
  });
});
