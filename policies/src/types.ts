/**
 * Plain input types for the admission and placement rules. The policies know nothing of the control
 * plane: it maps its rows onto these facts and hands them in, so a rule can be read and tested alone.
 */

export type Enforcement = 'mandatory' | 'advisory' | 'disabled';
export const ENFORCEMENTS: readonly Enforcement[] = ['mandatory', 'advisory', 'disabled'];

export type DataClassification = 'public' | 'internal' | 'sensitive' | 'classified';

export interface Text {
  zh: string;
  en: string;
}

/** A business system as far as the rules care. */
export interface SystemFacts {
  name: string;
  /** 等保 (MLPS) level 1–4. */
  mlpsLevel: number;
  dataClassification: DataClassification;
  xinchuangRequired: boolean;
  /** CPU architectures the system's software runs on (x86_64, arm64, loongarch64…). */
  architectures: string[];
  /** GB/T 20988 disaster-recovery level 1–6 and the edition it is stated against. */
  drLevel: number;
  drEdition: '2007' | '2025';
}

/** A candidate cloud. */
export interface CloudFacts {
  id: string;
  region: string;
  kind: 'general' | 'xinchuang';
  /** 等保 levels the cloud platform is certified for. */
  certifications: number[];
  /** production / same-city-dr / remote-dr. */
  siteRoles: string[];
  /** Capable of an active-active deployment with another dual-active cloud in its city. */
  dualActive: boolean;
  enabled: boolean;
  /** CPU architectures the cloud's capacity pools offer. */
  architectures: string[];
}

/** One level at which requested resources do not fit the quota. */
export interface QuotaShortfallFacts {
  level: string;
  ref: string;
  cloudId: string;
  resourceClass: string;
  limit: number;
  used: number;
  requested: number;
  kind: 'hard' | 'soft';
}

export interface PolicyInput {
  system: SystemFacts;
  /** The cloud being judged; null when only the system is judged (admission before placement). */
  cloud: CloudFacts | null;
  /** Every registered cloud, for rules about pairs (dual-active) and sites. */
  clouds: CloudFacts[];
  /** The quota check of the resources asked for, when there is a request. */
  quota?: { fits: boolean; needsApproval: boolean; shortfalls: QuotaShortfallFacts[] };
}

/** What a rule found: `ok: null` when it does not apply to this input. */
export interface Finding {
  ok: boolean | null;
  message: Text;
}

/** Whether the rule is about the system alone, about a cloud for it, or about the resources requested. */
export type PolicyScope = 'system' | 'placement' | 'quota';

export interface Policy {
  id: string;
  title: Text;
  rationale: Text;
  /** Where the rule comes from (document and passage), when it has a written source. */
  reference: string | null;
  scope: PolicyScope;
  enforcement: Enforcement;
  /**
   * What a failure leads to: `deny` refuses admission or excludes the cloud; `quota-increase` turns the
   * request into a quota-increase request that goes to approval (only when advisory).
   */
  onFailure: 'deny' | 'quota-increase';
  check(input: PolicyInput): Finding;
}

export type Outcome = 'pass' | 'deny' | 'warn' | 'quota-increase' | 'not-applicable' | 'disabled';

export interface PolicyResult {
  policyId: string;
  title: Text;
  enforcement: Enforcement;
  scope: PolicyScope;
  outcome: Outcome;
  message: Text;
}

/** The province's digital-government plan, quoted by the rules that follow it. */
export const JIANGXI_PLAN = 'jiangxi-digital-government-plan.zh.txt (江西省数字政府建设总体方案)';
