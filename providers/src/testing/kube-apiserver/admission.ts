/** What kube-apiserver refuses before a write is stored: names that are not RFC 1123 labels (422 Invalid). */
import { sendStatus } from './http-io.ts';
import type { KubeObject } from './object-store.ts';
import type { Ctx } from './routing.ts';

const NAME_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Answers 422 Invalid and returns true when the object's name is not a lowercase RFC 1123 label of at most 63 characters. */
export function invalid(c: Ctx, obj: KubeObject): boolean {
  const name = obj.metadata?.name ?? '';
  if (NAME_1123.test(name) && name.length <= 63) return false;
  const kind = c.store.kind(c.route.plural)?.kind ?? c.route.plural;
  sendStatus(c.res, 422, 'Invalid', `${kind} "${name}" is invalid: metadata.name: Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`, c.route.plural, name);
  return true;
}
