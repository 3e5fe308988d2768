import { containersOf, k8sRule } from './k8s-rule.ts';

/** Every container runs on a read-only root file system: what it writes goes to declared volumes only. */
export const readOnlyRootFs = k8sRule('ganyun-read-only-root-fs', 'Every container sets securityContext.readOnlyRootFilesystem: true', (args, report) => {
  for (const c of containersOf(args)) {
    if (c.securityContext?.readOnlyRootFilesystem !== true) report(`${args.name}, container ${c.name ?? '?'}: the root file system must be read-only`);
  }
});
