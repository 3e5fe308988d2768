import { containersOf, k8sRule } from './k8s-rule.ts';

/** Names that carry credentials (the documented environment: DATABASE_URL, GANYUN_SECRET_KEY, passwords, tokens). */
const SECRET_NAME = /(^DATABASE_URL$|SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_KEY|CREDENTIAL|_KEY$)/i;

/**
 * Secret values live only in Secrets: a container's environment references them (`valueFrom.secretKeyRef`),
 * never carries them as literal values, and no ConfigMap holds a credential-named key.
 */
export const noPlaintextSecrets = k8sRule('ganyun-no-plaintext-secrets', 'Credentials come from Secrets, never as literal env values or ConfigMap data', (args, report) => {
  for (const c of containersOf(args)) {
    for (const e of c.env ?? []) {
      if (SECRET_NAME.test(e.name) && e.value !== undefined) report(`${args.name}, container ${c.name ?? '?'}: ${e.name} is set as a literal value; reference a Secret (valueFrom.secretKeyRef)`);
    }
  }
  if (args.type === 'kubernetes:core/v1:ConfigMap') {
    const data = (args.props as { data?: Record<string, unknown> }).data ?? {};
    for (const key of Object.keys(data)) if (SECRET_NAME.test(key)) report(`ConfigMap ${args.name}: ${key} looks like a credential; put it in a Secret`);
  }
});
