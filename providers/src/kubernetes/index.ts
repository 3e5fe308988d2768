/** Public API of the Kubernetes provider. */
export {
  KubernetesProvider,
  type KubernetesConnection,
  type KubernetesLogger,
  type KubernetesProviderOptions,
  type NodeInfo,
  type WorkloadReadiness,
} from './kubernetes-provider.ts';
export { codeForStatus, fromKubeError } from './kube-errors.ts';
export { clusterProviderFor } from './cluster-factory.ts';
