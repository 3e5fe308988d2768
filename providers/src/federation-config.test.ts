import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FEDERATION_PATH, FederationConfigError, jsonPath, loadFederationConfig, parseFederationConfig, type FederationConfig } from './federation-config.ts';

const DIVISIONS_CSV = fileURLToPath(new URL('../../../shared/data/jiangxi-divisions.csv', import.meta.url));

function cities(): Map<string, string> {
  const rows = readFileSync(DIVISIONS_CSV, 'utf8').trim().split('\n').slice(1);
  return new Map(rows.map((r) => r.split(',')).filter((c) => c[2] === 'city').map((c) => [c[0], c[1]]));
}

function defaultJson(): FederationConfig {
  return JSON.parse(readFileSync(DEFAULT_FEDERATION_PATH, 'utf8')) as FederationConfig;
}

describe('the default federation', () => {
  let config: FederationConfig;
  beforeAll(async () => {
    config = await loadFederationConfig(DEFAULT_FEDERATION_PATH);
  });

  it('has the provincial cloud with a production and a same-city DR zone', () => {
    const p = config.clouds.find((c) => c.id === 'jx-province');
    expect(p?.name).toBe('江西省政务云');
    expect(p?.region).toBe('3601');
    expect(p?.zones.map((z) => [z.name, z.role])).toEqual([
      ['主中心', 'production'],
      ['同城灾备中心', 'same-city-dr'],
    ]);
  });

  it('has one city cloud for each of the eleven cities, named after the division list', () => {
    const cityClouds = config.clouds.filter((c) => c.level === 'city');
    expect(cityClouds.map((c) => c.region).sort()).toEqual([...cities().keys()].sort());
    for (const c of cityClouds) expect(c.name).toBe(`${cities().get(c.region)}政务云`);
  });

  it('has Kunpeng (arm64) and Hygon (x86_64, vendor hygon) Xinchuang clouds', () => {
    const platforms = config.clouds
      .filter((c) => c.kind === 'xinchuang')
      .flatMap((c) => c.sim?.hostPools.map((p) => `${p.arch}/${p.vendor}`) ?? []);
    expect(platforms).toContain('arm64/kunpeng');
    expect(platforms).toContain('x86_64/hygon');
  });

  it('has a remote-city DR centre that replication links point to', () => {
    const dr = config.clouds.filter((c) => c.siteRoles.includes('remote-dr'));
    expect(dr.map((c) => c.region)).toEqual(['3607']);
    const targets = config.clouds.flatMap((c) => c.sim?.replication?.map((r) => r.target) ?? []);
    expect(targets).toContain(dr[0].id);
  });

  it('seeds a few thousand existing resources across the federation', () => {
    const total = config.clouds.reduce((n, c) => n + (c.sim?.initialResources ?? 0), 0);
    expect(total).toBeGreaterThan(2000);
    expect(total).toBeLessThan(10_000);
  });
});

describe('parseFederationConfig', () => {
  const cases: { why: string; edit: (c: FederationConfig & Record<string, unknown>) => void; line: string }[] = [
    { why: 'ids must be unique', edit: (c) => Object.assign(c.clouds[2], { id: c.clouds[1].id }), line: '$.clouds[2].id: duplicate cloud id "nanchang"' },
    { why: 'regions are Jiangxi city codes', edit: (c) => Object.assign(c.clouds[1], { region: '4401' }), line: '$.clouds[1].region: must be a Jiangxi city division code, 3601 to 3611' },
    { why: 'a zone role must be one of the site roles', edit: (c) => Object.assign(c.clouds[0].zones[1], { role: 'remote-dr' }), line: '$.clouds[0].zones[1].role: role "remote-dr" is not among the cloud\'s siteRoles' },
    { why: 'host pools sit in known zones', edit: (c) => Object.assign(c.clouds[0].sim?.hostPools[0] ?? {}, { zone: 'nowhere' }), line: '$.clouds[0].sim.hostPools[0].zone: zone "nowhere" is not one of the cloud\'s zones' },
    { why: 'replication targets exist', edit: (c) => Object.assign(c.clouds[0].sim?.replication?.[0] ?? {}, { target: 'jx-moon' }), line: '$.clouds[0].sim.replication[0].target: no cloud with id "jx-moon"' },
    { why: 'simulated clouds need sim settings', edit: (c) => delete (c.clouds[3] as Record<string, unknown>)['sim'], line: '$.clouds[3].sim: a simulated cloud needs sim settings' },
    { why: 'MLPS levels are 1-5', edit: (c) => Object.assign(c.clouds[4], { certifications: { mlps: [2, 6] } }), line: '$.clouds[4].certifications.mlps[1]: Too big: expected number to be <=5' },
    { why: 'unknown fields are typos', edit: (c) => Object.assign(c.clouds[5], { dualActiv: true }), line: '$.clouds[5]: Unrecognized key: "dualActiv"' },
  ];
  for (const c of cases) {
    it(`reports: ${c.why}`, () => {
      const json = defaultJson() as FederationConfig & Record<string, unknown>;
      c.edit(json);
      const r = parseFederationConfig(json);
      expect(r.ok).toBeFalse();
      if (!r.ok) expect(r.errors).toEqual([c.line]);
    });
  }

  it('reports every problem of a bad file, one line each', () => {
    const json = defaultJson() as unknown as { clouds: Record<string, unknown>[] };
    json.clouds[0]['kind'] = 'public';
    json.clouds[1]['nameEn'] = '';
    json.clouds[2]['provider'] = 'remote';
    const r = parseFederationConfig(json);
    expect(r.ok ? [] : r.errors).toEqual([
      '$.clouds[0].kind: Invalid option: expected one of "general"|"xinchuang"',
      '$.clouds[1].nameEn: Too small: expected string to have >=1 characters',
    ]);
    delete json.clouds[0]['kind'];
    json.clouds[0]['kind'] = 'general';
    json.clouds[1]['nameEn'] = 'Nanchang';
    const r2 = parseFederationConfig(json);
    expect(r2.ok ? [] : r2.errors).toEqual(['$.clouds[2].endpoint: a remote cloud needs an endpoint']);
  });

  it('writes JSON paths the usual way', () => {
    expect(jsonPath([])).toBe('$');
    expect(jsonPath(['clouds', 3, 'sim', 'hostPools', 0])).toBe('$.clouds[3].sim.hostPools[0]');
    expect(jsonPath(['labels', 'a b'])).toBe('$.labels["a b"]');
  });

  it('refuses a file that is not JSON, naming the file', async () => {
    const notJson = fileURLToPath(new URL('../README.md', import.meta.url));
    await expectAsync(loadFederationConfig(notJson)).toBeRejectedWith(jasmine.any(FederationConfigError));
    await expectAsync(loadFederationConfig(notJson)).toBeRejectedWithError(FederationConfigError, new RegExp(`^${notJson}: invalid federation config:\n\\$: `));
  });
});
