import { k8sRule } from './k8s-rule.ts';

/** A Deployment runs at least two replicas and an HPA never scales below two: one pod lost must not stop the service. */
export const replicasAtLeastTwo = k8sRule('ganyun-replicas-at-least-two', 'Deployments run at least 2 replicas; autoscalers keep at least 2', (args, report) => {
  if (args.type === 'kubernetes:apps/v1:Deployment') {
    const replicas = (args.props as { spec?: { replicas?: number } }).spec?.replicas;
    if (typeof replicas !== 'number' || replicas < 2) report(`Deployment ${args.name}: replicas must be at least 2 (got ${replicas ?? 'unset, that is 1'})`);
  }
  if (args.type === 'kubernetes:autoscaling/v2:HorizontalPodAutoscaler') {
    const min = (args.props as { spec?: { minReplicas?: number } }).spec?.minReplicas;
    if (typeof min !== 'number' || min < 2) report(`HorizontalPodAutoscaler ${args.name}: minReplicas must be at least 2 (got ${min ?? 'unset, that is 1'})`);
  }
});
