import { readStackConfig, StackConfigError } from './stack-config.ts';
import { exampleStack, reader, type RawStack } from './testing/stacks.ts';

/** Bad stack configuration: one clear line per problem, every problem at once. */
describe('stack configuration', () => {
  const province = exampleStack('province');
  const problemsOf = (stack: RawStack): string[] => {
    try {
      readStackConfig(reader(stack));
    } catch (error) {
      if (error instanceof StackConfigError) return error.problems;
      throw error;
    }
    return [];
  };
  const without = (key: string): RawStack => Object.fromEntries(Object.entries(province).filter(([k]) => k !== key));

  it('accepts both example stacks as they are', () => {
    expect(problemsOf(province)).toEqual([]);
    expect(problemsOf(exampleStack('city'))).toEqual([]);
  });

  const cases: [string, RawStack, RegExp][] = [
    ['no database at all', without('database'), /^database: required$/],
    ['a sealing key that is not 64 hex', { ...province, secretKey: 'not-a-key' }, /^secretKey: must be 64 hex characters/],
    ['a replica count below 1', { ...province, replicas: '0' }, /^replicas: must be at least 1$/],
    ['a replica count that is not a number', { ...province, replicas: 'three' }, /^replicas: /],
    ['no sealing key and no existing Secret', without('secretKey'), /^secretKey: set exactly one of secretKey/],
    ['an image from another registry', { ...province, image: 'docker.io/someone/ganyun:1.0' }, /^image: must come from the registry registry\.jxzwy\.gov\.cn\/ganyun\//],
    ['an image without tag or digest', { ...province, image: 'registry.jxzwy.gov.cn/ganyun/control-plane' }, /^image: must name a tag or a digest/],
    ['a connection string and an existing Secret both', { ...province, database: JSON.stringify({ mode: 'url', url: 'postgres://x/y', existingSecret: { name: 'db' } }) }, /^database: set exactly one of url/],
    ['a connection string that is not PostgreSQL', { ...province, database: JSON.stringify({ mode: 'url', url: 'mysql://x/y' }) }, /^database\.url: must start with postgres/],
    ['an unknown database mode', { ...province, database: JSON.stringify({ mode: 'sqlite' }) }, /^database\.mode: /],
    ['a database that is not structured', { ...province, database: 'postgres' }, /^database: must be structured YAML/],
    ['a secret put into the ConfigMap settings', { ...province, settings: JSON.stringify({ DATABASE_URL: 'postgres://x/y' }) }, /^settings\.DATABASE_URL: a secret/],
    ['a setting the control plane does not have', { ...province, settings: JSON.stringify({ GANYUN_TURBO: '1' }) }, /^settings\.GANYUN_TURBO: not a setting/],
    ['a drain delay longer than the grace period', { ...province, settings: JSON.stringify({ GANYUN_SHUTDOWN_DELAY_MS: '40000' }) }, /^settings\.GANYUN_SHUTDOWN_DELAY_MS: must not exceed/],
    ['an autoscaler maximum below the replicas', { ...province, maxReplicas: '2' }, /^maxReplicas: must be at least replicas \(3\)$/],
    ['a ServiceMonitor without the metrics token', without('metricsToken'), /^metricsToken: the ServiceMonitor needs the token/],
    ['a metrics token and an existing Secret both', { ...province, existingMetricsSecret: JSON.stringify({ name: 'm' }) }, /^metricsToken: set at most one/],
    ['a metrics token that is not a bearer token', { ...province, metricsToken: 'has spaces in it, sixteen+' }, /^metricsToken: must be bearer-token characters/],
    ['the metrics token put into the ConfigMap settings', { ...province, settings: JSON.stringify({ GANYUN_METRICS_TOKEN: 'x'.repeat(20) }) }, /^settings\.GANYUN_METRICS_TOKEN: a secret/],
    ['a region outside Jiangxi', { ...province, region: '4401' }, /^region: must be 36/],
    ['a namespace that is not a DNS label', { ...province, namespace: 'Ganyun_Prod' }, /^namespace: must be a DNS label/],
    ['a resource quantity that Kubernetes would refuse', { ...province, resources: JSON.stringify({ limits: { cpu: 'two', memory: '1Gi' } }) }, /^resources\.limits\.cpu: must be a Kubernetes quantity/],
  ];
  for (const [why, stack, expected] of cases) {
    it(`refuses ${why} with one line naming the key`, () => {
      const problems = problemsOf(stack);
      expect(problems.length).toBe(1);
      expect(problems[0]).toMatch(expected);
    });
  }

  it('reports every problem of a stack at once, one line each, prefixed with the config key', () => {
    let error: StackConfigError | undefined;
    try {
      readStackConfig(reader({ ...without('database'), secretKey: 'abc', replicas: '0' }));
    } catch (e) {
      error = e as StackConfigError;
    }
    expect(error).toBeInstanceOf(StackConfigError);
    expect(error!.problems.map((p) => p.split(':')[0]).sort()).toEqual(['database', 'replicas', 'secretKey']);
    expect(error!.message).toContain('nothing was created');
    expect(error!.message).toContain('  ganyun:secretKey: must be 64 hex characters');
  });
});
