/**
 * Plans are versioned: every save is a new immutable version with a digest of its content, and a run
 * records the version (and digest) it ran, so a report says exactly which runbook was followed.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../audit/canonical-json.ts';
import type { PlanDraft } from './plan.ts';

/** SM3 over the canonical JSON of the plan's content (name, groups, steps). */
export function planDigest(plan: PlanDraft): string {
  return createHash('sm3').update(canonicalJson({ name: plan.name, groups: plan.groups, steps: plan.steps })).digest('hex');
}

/** The next version number, or null when the content is unchanged (saving it again makes no version). */
export function nextVersion(latest: { version: number; digest: string } | undefined, plan: PlanDraft): { version: number; digest: string } | null {
  const digest = planDigest(plan);
  if (latest && latest.digest === digest) return null;
  return { version: (latest?.version ?? 0) + 1, digest };
}
