import { k8sRule } from './k8s-rule.ts';

export const REQUIRED_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by'] as const;

/** Every Kubernetes object carries the labels operators select and account by. */
export const requiredLabels = k8sRule('ganyun-required-labels', `Every Kubernetes object carries ${REQUIRED_LABELS.join(', ')}`, (args, report) => {
  if (!args.type.startsWith('kubernetes:')) return;
  const labels = (args.props as { metadata?: { labels?: Record<string, string> } }).metadata?.labels ?? {};
  const missing = REQUIRED_LABELS.filter((l) => !labels[l]);
  if (missing.length) report(`${args.type.split(':').pop()} ${args.name}: missing labels ${missing.join(', ')}`);
});
