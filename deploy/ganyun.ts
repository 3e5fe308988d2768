import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DELAY_MS, DEFAULT_GRACE_MS, type StackConfig } from './stack-config.ts';

/**
 * The control plane on Kubernetes: replicas behind a dual-stack Service, spread across zones, probed on
 * /healthz and /readyz, locked down (non-root, read-only root file system, no privilege escalation, a
 * NetworkPolicy), scaled by an HPA and protected by a PodDisruptionBudget, scraped by a ServiceMonitor
 * and charted by a Grafana dashboard; PostgreSQL by connection string or as a CloudNativePG Cluster.
 * Secret values live only in Secrets; the pods reference them (secretKeyRef), never inline them.
 */
export const APP = 'ganyun-control-plane';
const HTTP_PORT = 8080;
const DASHBOARD = fileURLToPath(new URL('./grafana-dashboard.json', import.meta.url));

export interface GanyunDeployment {
  namespace: k8s.core.v1.Namespace;
  configMap: k8s.core.v1.ConfigMap;
  secret?: k8s.core.v1.Secret;
  database?: k8s.apiextensions.CustomResource;
  deployment: k8s.apps.v1.Deployment;
  service: k8s.core.v1.Service;
  podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget;
  networkPolicy: k8s.networking.v1.NetworkPolicy;
  autoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler;
  serviceMonitor?: k8s.apiextensions.CustomResource;
  dashboard?: k8s.core.v1.ConfigMap;
}

/** The labels every object carries (the policy pack requires them). */
export function labelsFor(c: StackConfig, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': APP,
    'app.kubernetes.io/part-of': 'ganyun',
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/managed-by': 'pulumi',
    'ganyun.gov.cn/region': c.region,
  };
}

export function deployGanyun(c: StackConfig, opts: pulumi.ComponentResourceOptions = {}): GanyunDeployment {
  const ns = c.namespace;
  const selector = { 'app.kubernetes.io/name': APP, 'app.kubernetes.io/component': 'api' };
  const meta = (name: string, component: string) => ({ name, namespace: ns, labels: labelsFor(c, component) });

  const namespace = new k8s.core.v1.Namespace(ns, {
    metadata: { name: ns, labels: { ...labelsFor(c, 'namespace'), 'pod-security.kubernetes.io/enforce': 'restricted' } },
  }, opts);
  const inNs = { ...opts, dependsOn: [namespace] };

  const settings: Record<string, string> = {
    HOST: '::', // both address families: the Service is dual-stack
    PORT: String(HTTP_PORT),
    GANYUN_DATA_DIR: '/tmp/ganyun',
    GANYUN_EXTRANET_DEMO_VILLAGES: '0', // no demo data in production
    GANYUN_SHUTDOWN_DELAY_MS: String(DEFAULT_DELAY_MS),
    GANYUN_SHUTDOWN_GRACE_MS: String(DEFAULT_GRACE_MS),
    ...Object.fromEntries(Object.entries(c.settings).map(([k, v]) => [k, String(v)])),
  };
  const configMap = new k8s.core.v1.ConfigMap(`${APP}-config`, { metadata: meta(`${APP}-config`, 'config'), data: settings }, inNs);

  // Secret values given to the stack (Pulumi secrets) go into one Secret made here; otherwise the stack
  // names Secrets that already exist. Either way the pods only reference them.
  const stringData: Record<string, pulumi.Output<string>> = {};
  if (c.secretKey !== undefined) stringData['GANYUN_SECRET_KEY'] = pulumi.secret(c.secretKey);
  if (c.database.mode === 'url' && c.database.url !== undefined) stringData['DATABASE_URL'] = pulumi.secret(c.database.url);
  if (c.metricsToken !== undefined) stringData['GANYUN_METRICS_TOKEN'] = pulumi.secret(c.metricsToken);
  const secret = Object.keys(stringData).length
    ? new k8s.core.v1.Secret(`${APP}-secrets`, { metadata: meta(`${APP}-secrets`, 'secrets'), type: 'Opaque', stringData }, inNs)
    : undefined;
  const ref = (key: string, existing: { name: string; key: string } | undefined) =>
    secret && key in stringData ? { name: secret.metadata.name, key } : { name: existing!.name, key: existing!.key };
  const keyRef = ref('GANYUN_SECRET_KEY', c.existingKeySecret);
  const metricsRef = c.metricsToken !== undefined || c.existingMetricsSecret !== undefined
    ? ref('GANYUN_METRICS_TOKEN', c.existingMetricsSecret)
    : undefined;

  let database: k8s.apiextensions.CustomResource | undefined;
  let dbRef: { name: pulumi.Input<string>; key: string };
  if (c.database.mode === 'cloudnativepg') {
    const name = 'ganyun-db';
    database = new k8s.apiextensions.CustomResource(name, {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: meta(name, 'database'),
      spec: {
        instances: c.database.instances, // one primary, the rest streaming replicas
        primaryUpdateStrategy: 'unsupervised',
        bootstrap: { initdb: { database: 'ganyun', owner: 'ganyun' } },
        storage: { size: c.database.storageSize, ...(c.database.storageClass ? { storageClass: c.database.storageClass } : {}) },
        affinity: { topologyKey: 'topology.kubernetes.io/zone' },
        monitoring: { enablePodMonitor: c.serviceMonitor },
      },
    }, inNs);
    // CloudNativePG writes the application user's connection string into <cluster>-app, key `uri`.
    dbRef = { name: `${name}-app`, key: 'uri' };
  } else {
    dbRef = ref('DATABASE_URL', c.database.existingSecret);
  }

  const graceSeconds = Math.ceil(Number(settings['GANYUN_SHUTDOWN_GRACE_MS']) / 1000) + 5;
  const podLabels = { ...labelsFor(c, 'api') };
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: 'http' }, periodSeconds, failureThreshold, timeoutSeconds: 2,
  });
  const deployment = new k8s.apps.v1.Deployment(APP, {
    metadata: meta(APP, 'api'),
    spec: {
      replicas: c.replicas,
      selector: { matchLabels: selector },
      // One new pod up before one old pod goes: capacity never drops during an upgrade.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: {
          labels: podLabels,
          annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(HTTP_PORT), 'prometheus.io/path': '/metrics' },
        },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: graceSeconds,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: selector } },
            { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
          ],
          containers: [{
            name: 'control-plane',
            image: c.image,
            imagePullPolicy: 'IfNotPresent',
            ports: [{ name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' }],
            envFrom: [{ configMapRef: { name: configMap.metadata.name } }],
            env: [
              { name: 'DATABASE_URL', valueFrom: { secretKeyRef: dbRef } },
              { name: 'GANYUN_SECRET_KEY', valueFrom: { secretKeyRef: keyRef } },
              ...(metricsRef ? [{ name: 'GANYUN_METRICS_TOKEN', valueFrom: { secretKeyRef: metricsRef } }] : []),
            ],
            resources: { requests: c.resources.requests, limits: c.resources.limits },
            // Start-up migrates under an advisory lock: give it time before liveness counts.
            startupProbe: probe('/healthz', 5, 36),
            livenessProbe: probe('/healthz', 10, 3),
            readinessProbe: probe('/readyz', 5, 2),
            securityContext: {
              allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
            },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }],
        },
      },
    },
  }, { ...inNs, dependsOn: [namespace, configMap, ...(secret ? [secret] : []), ...(database ? [database] : [])] });

  const service = new k8s.core.v1.Service(APP, {
    metadata: meta(APP, 'api'),
    spec: {
      type: 'ClusterIP',
      ipFamilyPolicy: c.ipFamilyPolicy,
      ipFamilies: ['IPv4', 'IPv6'],
      selector,
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  }, inNs);

  const podDisruptionBudget = new k8s.policy.v1.PodDisruptionBudget(APP, {
    metadata: meta(APP, 'api'),
    spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
  }, inNs);

  const dnsPorts = [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }];
  const networkPolicy = new k8s.networking.v1.NetworkPolicy(APP, {
    metadata: meta(APP, 'api'),
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{
        from: c.allowFromNamespaces.map((name) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } })),
        ports: [{ protocol: 'TCP', port: HTTP_PORT }],
      }],
      egress: [
        { ports: dnsPorts },
        { ports: [{ protocol: 'TCP', port: 5432 }] },
        { to: c.egressCidrs.map((cidr) => ({ ipBlock: { cidr } })) },
      ],
    },
  }, inNs);

  const autoscaler = new k8s.autoscaling.v2.HorizontalPodAutoscaler(APP, {
    metadata: meta(APP, 'api'),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name },
      minReplicas: c.replicas,
      maxReplicas: c.maxReplicas ?? Math.max(c.replicas, c.replicas * 2),
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      // Scale down slowly: each pod that leaves drains its requests and hands its workflow steps back.
      behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] } },
    },
  }, inNs);

  const serviceMonitor = c.serviceMonitor ? new k8s.apiextensions.CustomResource(APP, {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: meta(APP, 'api'),
    spec: {
      selector: { matchLabels: selector },
      // /metrics answers only with the metrics token: Prometheus reads it from the same Secret as the pods.
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s', authorization: { type: 'Bearer', credentials: metricsRef } }],
    },
  }, inNs) : undefined;

  // The Grafana sidecar picks up ConfigMaps labelled grafana_dashboard=1.
  const dashboard = c.grafanaDashboard ? new k8s.core.v1.ConfigMap(`${APP}-dashboard`, {
    metadata: { ...meta(`${APP}-dashboard`, 'dashboard'), labels: { ...labelsFor(c, 'dashboard'), grafana_dashboard: '1' } },
    data: { 'ganyun.json': readFileSync(DASHBOARD, 'utf8') },
  }, inNs) : undefined;

  return { namespace, configMap, secret, database, deployment, service, podDisruptionBudget, networkPolicy, autoscaler, serviceMonitor, dashboard };
}
