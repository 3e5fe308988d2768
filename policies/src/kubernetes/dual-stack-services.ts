import { k8sRule } from './k8s-rule.ts';

/** Services are dual-stack (IPv4 and IPv6): the province's IPv6 scale-deployment plan requires both. */
export const dualStackServices = k8sRule('ganyun-dual-stack-services', 'Services are dual-stack: both IP families, RequireDualStack or PreferDualStack', (args, report) => {
  if (args.type !== 'kubernetes:core/v1:Service') return;
  const spec = (args.props as { spec?: { ipFamilyPolicy?: string; ipFamilies?: string[] } }).spec ?? {};
  if (spec.ipFamilyPolicy !== 'RequireDualStack' && spec.ipFamilyPolicy !== 'PreferDualStack') report(`Service ${args.name}: ipFamilyPolicy must be RequireDualStack or PreferDualStack (got ${spec.ipFamilyPolicy ?? 'unset, that is SingleStack'})`);
  const families = new Set(spec.ipFamilies ?? []);
  if (!families.has('IPv4') || !families.has('IPv6')) report(`Service ${args.name}: ipFamilies must list IPv4 and IPv6 (got ${[...families].join(', ') || 'none'})`);
});
