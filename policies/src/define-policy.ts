import type { CloudFacts, Enforcement, Finding, Policy, PolicyInput } from './types.ts';

/**
 * A rule is a fixed declaration (id, texts, scope, what a failure leads to, its check) plus the one thing the
 * catalogue may change, its enforcement level. definePolicy makes the declaration into the factory the catalogue
 * calls (`factory(level?)`), so a rule file holds only what is particular to its rule.
 */
export function definePolicy(rule: Omit<Policy, 'enforcement'>, shipsAs: Enforcement = 'mandatory'): (enforcement?: Enforcement) => Policy {
  return (enforcement = shipsAs) => ({ ...rule, enforcement });
}

/** What a placement rule's check reads: the input with the cloud being judged there. */
export type PlacementInput = PolicyInput & { cloud: CloudFacts };

/**
 * The placement rules judge one cloud for the system and exclude it when they fail. Every one of them does
 * not apply while there is no cloud to judge (the system judged alone, before placement), so that case is
 * answered here once and their checks see a cloud.
 */
export function definePlacementPolicy(rule: Omit<Policy, 'enforcement' | 'scope' | 'onFailure' | 'check'> & { check(input: PlacementInput): Finding }) {
  const { check, ...texts } = rule;
  return definePolicy({
    ...texts,
    scope: 'placement',
    onFailure: 'deny',
    check(input) {
      const { cloud } = input;
      if (!cloud) return { ok: null, message: { zh: '未指定云', en: 'no cloud to judge' } };
      return check({ ...input, cloud });
    },
  });
}
