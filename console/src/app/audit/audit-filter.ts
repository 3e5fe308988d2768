import type { AuditListInput, AuditRecord } from '../core/api-types';

export type Outcome = AuditRecord['outcome'];
export type AuditFilter = Omit<AuditListInput, 'limit' | 'cursor'>;

/** The list query for what the form shows; empty fields are left out, dates cover whole days. */
export function buildFilter(form: {
  actor: string;
  procedure: string;
  outcome: Outcome | null;
  range: Date[] | null;
}): AuditFilter {
  const filter: AuditFilter = {};
  const actor = form.actor.trim();
  const procedure = form.procedure.trim();
  if (actor) filter.actor = actor;
  if (procedure) filter.procedure = procedure;
  if (form.outcome) filter.outcome = form.outcome;
  const [from, to] = form.range ?? [];
  if (from) filter.from = startOfDay(from).toISOString();
  if (to) filter.to = endOfDay(to).toISOString();
  return filter;
}

/**
 * Whether a record pushed live belongs in the filtered list. Mirrors the server's filter
 * as we understand it: exact actor and outcome, procedure exact or as a prefix
 * ("users." matches "users.create"), `at` within [from, to].
 */
export function matchesFilter(record: AuditRecord, filter: AuditFilter): boolean {
  if (filter.actor && record.actor !== filter.actor) return false;
  if (filter.outcome && record.outcome !== filter.outcome) return false;
  if (filter.procedure && !record.procedure.startsWith(filter.procedure)) return false;
  const at = Date.parse(record.at);
  if (filter.from && at < Date.parse(filter.from)) return false;
  if (filter.to && at > Date.parse(filter.to)) return false;
  return true;
}

function startOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), 0, 0, 0, 0);
}

function endOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), 23, 59, 59, 999);
}
