import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { StackConfigError } from './stack-config.ts';
import { declared, installPulumiMocks, resolved } from './testing/pulumi-mocks.ts';
import { exampleStack } from './testing/stacks.ts';

/**
 * The program's entry (Pulumi.yaml main: deploy/index.ts) as the engine runs it, under mocks: stack
 * configuration from the runtime, outputs from its exports. A bad stack fails before any resource exists.
 */
const KEYS = ['region', 'namespace', 'registry', 'image', 'replicas', 'maxReplicas', 'resources', 'secretKey', 'existingKeySecret', 'metricsToken', 'existingMetricsSecret', 'database',
  'settings', 'allowFromNamespaces', 'egressCidrs', 'ipFamilyPolicy', 'serviceMonitor', 'grafanaDashboard'];

/** Sets the stack's config as the CLI would (every other key emptied, secrets flagged) and runs the entry afresh. */
async function runEntry(stack: Record<string, string>, run: string): Promise<Record<string, pulumi.Output<unknown> | unknown>> {
  const all = Object.fromEntries(KEYS.map((k) => [`ganyun:${k}`, stack[k] ?? '']));
  pulumi.runtime.setAllConfig(all, ['ganyun:secretKey', 'ganyun:database', 'ganyun:metricsToken']);
  return import(`./index.ts?run=${run}`);
}

describe('the program entry under mocks', () => {
  beforeAll(installPulumiMocks);

  it('exports the resolved deployment of the province stack', async () => {
    const out = await runEntry(exampleStack('province'), 'province');
    expect(await resolved(out['replicas'] as pulumi.Output<number>)).toBe(3);
    expect(await resolved(out['namespace'] as pulumi.Output<string>)).toBe('ganyun');
    expect(await resolved(out['serviceIpFamilies'] as pulumi.Output<string[]>)).toEqual(['IPv4', 'IPv6']);
    expect(out['databaseMode']).toBe('cloudnativepg');
    expect(await resolved(out['dashboard'] as pulumi.Output<string>)).toBe('ganyun-control-plane-dashboard');
  });

  it('fails on a bad stack with one line per problem and declares nothing', async () => {
    const bad = { ...exampleStack('city'), namespace: 'bad-stack', database: '', secretKey: 'short', replicas: '0' };
    let error: unknown;
    await runEntry(bad, 'bad').catch((e: unknown) => (error = e));
    expect(error).toBeInstanceOf(StackConfigError);
    expect((error as StackConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['database', 'replicas', 'secretKey']);
    // Once a resource declared after the failure has reached the mock engine, anything the failed run had
    // declared would have too: nothing of its namespace is there.
    const marker = new k8s.core.v1.ConfigMap('after-the-bad-stack', { metadata: { namespace: 'elsewhere' }, data: { x: '1' } });
    await resolved(marker.id);
    expect(declared.some((d) => d.name === 'after-the-bad-stack')).toBeTrue();
    expect(declared.filter((d) => JSON.stringify(d.inputs).includes('bad-stack"')).map((d) => d.name)).toEqual([]);
  });
});

describe('the mocks guard', () => {
  it('refuses to read outputs when a program runs without the Pulumi mocks (ids never resolve there)', async () => {
    const script = fileURLToPath(new URL('./testing/without-mocks.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 60_000 });
    // A careless read of an input-derived output would have "passed"; the id shows no engine was there.
    expect(stdout).toContain('raw replicas: 2');
    expect(stdout).toContain('raw id: "never resolved"');
    expect(stdout).toContain('helper: rejected: the Pulumi mocks are not set');
  }, 90_000);
});
