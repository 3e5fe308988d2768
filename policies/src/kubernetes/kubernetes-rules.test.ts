import type { ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';
import { dualStackServices } from './dual-stack-services.ts';
import { imagesFromRegistry } from './images-from-registry.ts';
import { limitsSet } from './limits-set.ts';
import { noPlaintextSecrets } from './no-plaintext-secrets.ts';
import { readOnlyRootFs } from './read-only-root-fs.ts';
import { replicasAtLeastTwo } from './replicas-at-least-two.ts';
import { requiredLabels } from './required-labels.ts';

const REGISTRY = 'registry.jxzwy.gov.cn/ganyun';

/** Runs one rule as the Pulumi engine would: the resource's type, name and inputs, the pack config; returns the violations. */
async function violations(policy: ResourceValidationPolicy, type: string, props: object, name = 'ganyun'): Promise<string[]> {
  const out: string[] = [];
  const args = {
    type, props, name, urn: `urn:pulumi:province::ganyun::${type}::${name}`, opts: {},
    getConfig: () => ({ registry: REGISTRY }), isType: () => false, asType: () => undefined, notApplicable: () => undefined,
  } as unknown as ResourceValidationArgs;
  for (const validate of [policy.validateResource ?? []].flat()) await validate(args, (message) => out.push(message));
  return out;
}

const labels = { 'app.kubernetes.io/name': 'ganyun-control-plane', 'app.kubernetes.io/part-of': 'ganyun', 'app.kubernetes.io/managed-by': 'pulumi' };
const DEPLOYMENT = 'kubernetes:apps/v1:Deployment';
/** A Deployment as the program renders it: every rule passes. */
const compliant = () => ({
  metadata: { labels: { ...labels } },
  spec: {
    replicas: 3,
    template: {
      spec: {
        containers: [{
          name: 'control-plane', image: `${REGISTRY}/control-plane:1.4.0`,
          env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'ganyun', key: 'DATABASE_URL' } } }],
          resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '250m', memory: '512Mi' } },
          securityContext: { readOnlyRootFilesystem: true },
        }],
      },
    },
  },
});
type Dep = ReturnType<typeof compliant>;
const container = (d: Dep) => d.spec.template.spec.containers[0]! as Record<string, unknown>;
const changed = (f: (d: Dep) => void) => {
  const d = compliant();
  f(d);
  return d;
};

describe('policy pack: Kubernetes rules (each against a compliant and a violating resource)', () => {
  it('every rule passes the compliant Deployment', async () => {
    for (const p of [replicasAtLeastTwo, limitsSet, noPlaintextSecrets, imagesFromRegistry, readOnlyRootFs, requiredLabels]) {
      expect(await violations(p, DEPLOYMENT, compliant())).withContext(p.name).toEqual([]);
    }
  });

  it('replicas: fewer than 2 (or unset) on a Deployment or an autoscaler is refused', async () => {
    expect(await violations(replicasAtLeastTwo, DEPLOYMENT, changed((d) => (d.spec.replicas = 1)))).toEqual(['Deployment ganyun: replicas must be at least 2 (got 1)']);
    expect(await violations(replicasAtLeastTwo, DEPLOYMENT, changed((d) => delete (d.spec as Partial<Dep['spec']>).replicas))).toEqual(['Deployment ganyun: replicas must be at least 2 (got unset, that is 1)']);
    const hpa = 'kubernetes:autoscaling/v2:HorizontalPodAutoscaler';
    expect(await violations(replicasAtLeastTwo, hpa, { spec: { minReplicas: 2, maxReplicas: 6 } })).toEqual([]);
    expect(await violations(replicasAtLeastTwo, hpa, { spec: { minReplicas: 1, maxReplicas: 6 } })).toEqual(['HorizontalPodAutoscaler ganyun: minReplicas must be at least 2 (got 1)']);
  });

  it('limits: a container without a memory limit is refused', async () => {
    expect(await violations(limitsSet, DEPLOYMENT, changed((d) => (container(d)['resources'] = { limits: { cpu: '1' } })))).toEqual(['Deployment ganyun, container control-plane: no memory limit']);
  });

  it('secrets: a literal DATABASE_URL or a credential in a ConfigMap is refused; a secretKeyRef and plain settings pass', async () => {
    const literal = changed((d) => (container(d)['env'] = [{ name: 'DATABASE_URL', value: 'postgres://ganyun:hunter2@db/ganyun' }, { name: 'GANYUN_SECRET_KEY', value: 'ab'.repeat(32) }]));
    expect(await violations(noPlaintextSecrets, DEPLOYMENT, literal)).toEqual([
      'ganyun, container control-plane: DATABASE_URL is set as a literal value; reference a Secret (valueFrom.secretKeyRef)',
      'ganyun, container control-plane: GANYUN_SECRET_KEY is set as a literal value; reference a Secret (valueFrom.secretKeyRef)',
    ]);
    const cm = 'kubernetes:core/v1:ConfigMap';
    expect(await violations(noPlaintextSecrets, cm, { data: { LOG_LEVEL: 'info', PORT: '8080' } })).toEqual([]);
    expect(await violations(noPlaintextSecrets, cm, { data: { GANYUN_ADMIN_PASSWORD: 'x' } })).toEqual(['ConfigMap ganyun: GANYUN_ADMIN_PASSWORD looks like a credential; put it in a Secret']);
  });

  it('images: another registry, or no tag, is refused', async () => {
    expect(await violations(imagesFromRegistry, DEPLOYMENT, changed((d) => (container(d)['image'] = 'docker.io/library/node:20')))).toEqual([`ganyun, container control-plane: image docker.io/library/node:20 is not from ${REGISTRY}/`]);
    expect(await violations(imagesFromRegistry, DEPLOYMENT, changed((d) => (container(d)['image'] = `${REGISTRY}/control-plane`)))).toEqual([`ganyun, container control-plane: image ${REGISTRY}/control-plane names no tag or digest`]);
    expect(await violations(imagesFromRegistry, DEPLOYMENT, changed((d) => (container(d)['image'] = `${REGISTRY}/control-plane@sha256:${'a'.repeat(64)}`)))).toEqual([]);
  });

  it('services: dual-stack passes; a single-stack Service is refused', async () => {
    const svc = 'kubernetes:core/v1:Service';
    expect(await violations(dualStackServices, svc, { spec: { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'] } })).toEqual([]);
    expect(await violations(dualStackServices, svc, { spec: { ipFamilies: ['IPv4'] } })).toEqual([
      'Service ganyun: ipFamilyPolicy must be RequireDualStack or PreferDualStack (got unset, that is SingleStack)',
      'Service ganyun: ipFamilies must list IPv4 and IPv6 (got IPv4)',
    ]);
  });

  it('labels: an object without part-of is refused; non-Kubernetes resources are not judged', async () => {
    expect(await violations(requiredLabels, DEPLOYMENT, changed((d) => delete (d.metadata.labels as Partial<typeof labels>)['app.kubernetes.io/part-of']))).toEqual(['Deployment ganyun: missing labels app.kubernetes.io/part-of']);
    expect(await violations(requiredLabels, 'random:index/randomPassword:RandomPassword', {})).toEqual([]);
  });

  it('read-only root: a container without it is refused', async () => {
    expect(await violations(readOnlyRootFs, DEPLOYMENT, changed((d) => (container(d)['securityContext'] = { readOnlyRootFilesystem: false })))).toEqual(['ganyun, container control-plane: the root file system must be read-only']);
  });
});
