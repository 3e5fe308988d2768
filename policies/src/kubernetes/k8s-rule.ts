import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';

/**
 * What the Kubernetes rules of the policy pack share: the shape of the objects they read (plain inputs as
 * Pulumi hands them to a policy, no @pulumi/kubernetes import needed) and the workload kinds with pod templates.
 * The pack itself (`pulumi-pack/index.ts`) is the only file that constructs `new PolicyPack(...)`.
 */
export interface Container {
  name?: string;
  image?: string;
  env?: { name: string; value?: unknown; valueFrom?: unknown }[];
  resources?: { limits?: Record<string, unknown>; requests?: Record<string, unknown> };
  securityContext?: { readOnlyRootFilesystem?: boolean };
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
}

export const WORKLOADS = new Set([
  'kubernetes:apps/v1:Deployment', 'kubernetes:apps/v1:StatefulSet', 'kubernetes:apps/v1:DaemonSet', 'kubernetes:batch/v1:Job',
]);

/** The pod spec of a workload (`spec.template.spec`, or `spec.jobTemplate.spec.template.spec` of a CronJob). */
export function podSpecOf(args: Pick<ResourceValidationArgs, 'type' | 'props'>): PodSpec | undefined {
  const props = args.props as { spec?: { template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } } };
  if (WORKLOADS.has(args.type)) return props.spec?.template?.spec;
  if (args.type === 'kubernetes:batch/v1:CronJob') return props.spec?.jobTemplate?.spec?.template?.spec;
  return undefined;
}

export function containersOf(args: Pick<ResourceValidationArgs, 'type' | 'props'>): Container[] {
  const pod = podSpecOf(args);
  return [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])];
}

/** A mandatory resource rule of the Ganyun pack. */
export function k8sRule(name: string, description: string, validate: (args: ResourceValidationArgs, report: ReportViolation) => void, configSchema?: ResourceValidationPolicy['configSchema']): ResourceValidationPolicy {
  return { name, description, enforcementLevel: 'mandatory', validateResource: validate, ...(configSchema ? { configSchema } : {}) };
}
