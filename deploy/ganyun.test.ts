import * as pulumi from '@pulumi/pulumi';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMetrics } from '../control-plane/src/metrics.ts';
import { deployGanyun, type GanyunDeployment } from './ganyun.ts';
import { readStackConfig } from './stack-config.ts';
import { installPulumiMocks, resolved } from './testing/pulumi-mocks.ts';
import { DB_URL, exampleStack, KEY, METRICS_TOKEN, reader } from './testing/stacks.ts';

/**
 * The Pulumi program under Pulumi's mocks (no CLI, no cluster), on the two example stacks of
 * deploy/stacks: every assertion is on a resolved output, so a run without mocks fails instead of passing.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Kubernetes objects as the engine receives them

describe('the Pulumi program under mocks (no cluster)', () => {
  beforeAll(installPulumiMocks);

  describe('province stack (CloudNativePG)', () => {
    let app: GanyunDeployment;
    let pod: Obj;
    let container: Obj;
    beforeAll(async () => {
      app = deployGanyun(readStackConfig(reader(exampleStack('province'))));
      pod = (await resolved(app.deployment.spec.template)).spec;
      container = pod['containers'][0];
    });

    it('is really running under the mocks (ids come from the mock engine)', async () => {
      expect(await resolved(app.deployment.id)).toBe('ganyun-control-plane-id');
    });

    it('runs three replicas, one new pod up before an old one goes, spread across zones', async () => {
      expect(await resolved(app.deployment.spec.replicas)).toBe(3);
      expect(await resolved(app.deployment.spec.strategy)).toEqual(jasmine.objectContaining({ rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }));
      const zone = pod['topologySpreadConstraints'].find((t: Obj) => t['topologyKey'] === 'topology.kubernetes.io/zone');
      expect(zone).toEqual(jasmine.objectContaining({ maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }));
    });

    it('probes /healthz for liveness and start-up and /readyz for readiness', () => {
      expect(container['livenessProbe']['httpGet']).toEqual({ path: '/healthz', port: 'http' });
      expect(container['startupProbe']['httpGet']).toEqual({ path: '/healthz', port: 'http' });
      expect(container['readinessProbe']['httpGet']).toEqual({ path: '/readyz', port: 'http' });
    });

    it('runs as non-root on a read-only root file system without privileges, /tmp on an emptyDir', () => {
      expect(pod['securityContext']).toEqual(jasmine.objectContaining({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } }));
      expect(container['securityContext']).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(container['volumeMounts']).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
      expect(pod['automountServiceAccountToken']).toBeFalse();
    });

    it('sets requests and limits from the stack', () => {
      expect(container['resources']).toEqual({ requests: { cpu: '1', memory: '768Mi' }, limits: { cpu: '2', memory: '1536Mi' } });
    });

    it('references the database and the sealing key from Secrets (CloudNativePG\'s app secret), never inlines them', async () => {
      expect(container['env']).toEqual([
        { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'ganyun-db-app', key: 'uri' } } },
        { name: 'GANYUN_SECRET_KEY', valueFrom: { secretKeyRef: { name: 'ganyun-control-plane-secrets', key: 'GANYUN_SECRET_KEY' } } },
        { name: 'GANYUN_METRICS_TOKEN', valueFrom: { secretKeyRef: { name: 'ganyun-control-plane-secrets', key: 'GANYUN_METRICS_TOKEN' } } },
      ]);
      const config = await resolved(app.configMap.data);
      expect(Object.keys(config)).not.toContain('GANYUN_SECRET_KEY');
      expect(JSON.stringify(config)).not.toContain(KEY);
      // The key reaches the Secret as a Pulumi secret (encrypted in the state), not as plain text.
      expect(await pulumi.isSecret(app.secret!.stringData)).toBeTrue();
    });

    it('declares a CloudNativePG cluster of one primary and two replicas', async () => {
      expect(await resolved(app.database!.urn)).toContain('postgresql.cnpg.io/v1:Cluster');
      const spec = await resolved((app.database as unknown as { spec: pulumi.Output<Obj> }).spec);
      expect(spec['instances']).toBe(3);
      expect(spec['storage']).toEqual({ size: '100Gi' });
    });

    it('gives the pods the documented settings and enough time to drain', async () => {
      const data = await resolved(app.configMap.data);
      expect(data).toEqual(jasmine.objectContaining({ HOST: '::', PORT: '8080', GANYUN_SEAL_ALGORITHM: 'sm4-ctr-hmac-sm3', GANYUN_EXTRANET_DEMO_VILLAGES: '0' }));
      const graceMs = Number(data['GANYUN_SHUTDOWN_GRACE_MS']);
      expect(Number(data['GANYUN_SHUTDOWN_DELAY_MS'])).toBeLessThan(graceMs);
      expect(pod['terminationGracePeriodSeconds']).toBeGreaterThan(graceMs / 1000);
    });

    it('exposes a dual-stack Service, a PodDisruptionBudget, a NetworkPolicy and an HPA', async () => {
      expect(await resolved(app.service.spec)).toEqual(jasmine.objectContaining({ ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] }));
      expect(await resolved(app.podDisruptionBudget.spec.maxUnavailable)).toBe(1);
      const policy = await resolved(app.networkPolicy.spec);
      expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.ingress[0]!.ports as unknown).toEqual([{ protocol: 'TCP', port: 8080 }]);
      const hpa = await resolved(app.autoscaler.spec);
      expect([hpa.minReplicas, hpa.maxReplicas]).toEqual([3, 6]);
    });

    it('declares a ServiceMonitor on /metrics and a dashboard whose every query names a metric the control plane exports', async () => {
      expect(await resolved(app.serviceMonitor!.urn)).toContain('monitoring.coreos.com/v1:ServiceMonitor');
      // /metrics refuses a scrape without the token: Prometheus reads it from the Secret the pods read.
      const spec = await resolved((app.serviceMonitor as unknown as { spec: pulumi.Output<{ endpoints: unknown[] }> }).spec);
      expect(spec.endpoints[0]).toEqual(jasmine.objectContaining({
        path: '/metrics', authorization: { type: 'Bearer', credentials: { name: 'ganyun-control-plane-secrets', key: 'GANYUN_METRICS_TOKEN' } },
      }));
      expect(await resolved(app.secret!.stringData)).toEqual(jasmine.objectContaining({ GANYUN_METRICS_TOKEN: METRICS_TOKEN }));
      const dashboard = JSON.parse((await resolved(app.dashboard!.data))['ganyun.json']!) as { panels: { targets: { expr: string }[] }[] };
      const used = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/ganyun_[a-z0-9_]+/g) ?? [])));
      expect(used.size).toBeGreaterThan(10);
      const exported = await exportedMetricNames();
      const unknown = [...used].filter((m) => !exported.some((e) => m === e || m.startsWith(`${e}_`)));
      expect(unknown).toEqual([]);
    });
  });

  describe('city stack (connection string)', () => {
    let app: GanyunDeployment;
    beforeAll(() => {
      app = deployGanyun(readStackConfig(reader(exampleStack('city'))));
    });

    it('runs two replicas from the image pinned by digest, in the city namespace and labelled with the city', async () => {
      expect(await resolved(app.deployment.spec.replicas)).toBe(2);
      const meta = await resolved(app.deployment.metadata);
      expect(meta.namespace).toBe('ganyun-ganzhou');
      expect(meta.labels!['ganyun.gov.cn/region']).toBe('3607');
      expect((await resolved(app.deployment.spec.template)).spec!.containers[0]!.image).toMatch(/^harbor\.ganzhou\.gov\.cn\/ganyun\/control-plane@sha256:/);
    });

    it('puts the connection string into the Secret as a Pulumi secret and references it', async () => {
      const env = (await resolved(app.deployment.spec.template)).spec!.containers[0]!.env!;
      expect(env.find((e) => e.name === 'DATABASE_URL') as unknown).toEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'ganyun-control-plane-secrets', key: 'DATABASE_URL' } } });
      expect(env.every((e) => e.value === undefined)).toBeTrue();
      expect(await resolved(app.secret!.stringData)).toEqual({ GANYUN_SECRET_KEY: KEY, DATABASE_URL: DB_URL });
      // The city's scrape token stays in its own Secret, referenced by name.
      expect(env.find((e) => e.name === 'GANYUN_METRICS_TOKEN') as unknown).toEqual({ name: 'GANYUN_METRICS_TOKEN', valueFrom: { secretKeyRef: { name: 'ganzhou-metrics', key: 'token' } } });
      expect(await pulumi.isSecret(app.secret!.stringData)).toBeTrue();
      expect(JSON.stringify(await resolved(app.configMap.data))).not.toContain('s3cret-pass');
      expect(app.database).toBeUndefined();
    });

    it('leaves the dashboard out when the stack says so', () => {
      expect(app.dashboard).toBeUndefined();
    });
  });
});

/** Metric names of the control plane's registry (process metrics included) and any registered elsewhere in its sources. */
async function exportedMetricNames(): Promise<string[]> {
  const root = fileURLToPath(new URL('../control-plane/src', import.meta.url));
  const names = new Set<string>((await createMetrics().registry.getMetricsAsJSON()).map((m) => m.name));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/name: '(ganyun_[a-z0-9_]+)'/g)) names.add(m[1]!);
      }
    }
  };
  walk(root);
  return [...names];
}
