import { containersOf, k8sRule } from './k8s-rule.ts';

/** Every container states CPU and memory limits: one runaway pod must not starve the node's other tenants. */
export const limitsSet = k8sRule('ganyun-limits-set', 'Every container sets CPU and memory limits', (args, report) => {
  for (const c of containersOf(args)) {
    const limits = c.resources?.limits ?? {};
    const missing = ['cpu', 'memory'].filter((k) => limits[k] === undefined || limits[k] === '');
    if (missing.length) report(`${args.type.split(':').pop()} ${args.name}, container ${c.name ?? '?'}: no ${missing.join(' or ')} limit`);
  }
});
