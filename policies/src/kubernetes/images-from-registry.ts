import { containersOf, k8sRule } from './k8s-rule.ts';

/** Pack config: the registry every image must come from, e.g. `registry.jxzwy.gov.cn/ganyun`. */
export interface RegistryConfig {
  registry: string;
}

/** Images only from the configured registry, pinned by tag or digest (never an implicit `:latest`). */
export const imagesFromRegistry = k8sRule('ganyun-images-from-registry', 'Container images come only from the configured registry, with a tag or digest', (args, report) => {
  const registry = args.getConfig<RegistryConfig>().registry.replace(/\/+$/, '');
  for (const c of containersOf(args)) {
    const image = c.image ?? '';
    if (!image.startsWith(`${registry}/`)) report(`${args.name}, container ${c.name ?? '?'}: image ${image || '(none)'} is not from ${registry}/`);
    else if (!/[:@]/.test(image.slice(registry.length + 1))) report(`${args.name}, container ${c.name ?? '?'}: image ${image} names no tag or digest`);
  }
}, { properties: { registry: { type: 'string', minLength: 1 } }, required: ['registry'] });
