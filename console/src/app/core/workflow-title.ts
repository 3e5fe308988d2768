import { Pipe, PipeTransform, inject } from '@angular/core';
import { I18nService, type Lang, type TranslateParams } from './i18n/i18n.service';

/** What a title needs of a workflow: the list's and the detail's shapes both fit. */
export interface TitledWorkflow {
  kind: string;
  title: string;
  input?: unknown;
}

type Bilingual = { zh: string; en: string };
type Translator = Pick<I18nService, 't' | 'lang'>;

/**
 * A workflow kind's name in the reader's language (`dr.drill` → 灾备演练). A kind this console has no name for
 * (a newer server's) shows its code rather than a gap.
 */
export function workflowKindName(kind: string, i18n: Pick<I18nService, 't' | 'has'>): string {
  const key = `wfKind.${kind}`;
  return i18n.has(key) ? i18n.t(key) : kind;
}

/**
 * A workflow's title in the reader's language. The server stores an English title (`onboard X → cloud`,
 * `provision …`, `drill G → C`, …) and, since these titles were made translatable, the names it was built from
 * in the workflow's input (`input.names`). Each known kind is titled from those names; a workflow whose input
 * lacks them (started before, or a kind this console does not know) keeps its stored title.
 *
 * request-provisioning carries no names (its server code belongs to the requests area): its title is
 * `provision <request title>`, the request's title being the user's own text, so only the verb is translated.
 */
export function workflowTitle(w: TitledWorkflow, i18n: Translator): string {
  const names = namesOf(w.input);
  const lang = i18n.lang();
  const key = titleKey(w, names);
  const params = key ? titleParams(w, names, lang) : null;
  return key && params ? i18n.t(key, params) : w.title;
}

function titleKey(w: TitledWorkflow, names: Record<string, unknown>): string | null {
  if (w.kind === 'onboarding') return 'wfTitle.onboarding';
  if (w.kind === 'request-provisioning') return 'wfTitle.provision';
  if (/^dr\.(drill|switchover|failover|failback|reprotect)$/.test(w.kind)) return `wfTitle.${w.kind}`;
  if (w.kind === 'migration.solve') return names['whatIf'] === true ? 'wfTitle.migration.whatIf' : 'wfTitle.migration.solve';
  return null;
}

/** The key's parameters, or null when the input lacks a name the title needs. */
function titleParams(w: TitledWorkflow, names: Record<string, unknown>, lang: Lang): TranslateParams | null {
  switch (w.kind) {
    case 'onboarding': {
      const system = text(names['system']);
      const cloud = localName(names['cloud'], lang);
      return system && cloud ? { system, cloud } : null;
    }
    case 'request-provisioning': {
      const m = /^provision (.+)$/s.exec(w.title);
      return m ? { title: m[1]! } : null;
    }
    case 'migration.solve': {
      const plan = text(names['plan']);
      const version = names['version'];
      return plan && typeof version === 'number' ? { plan, version } : null;
    }
    default: {
      const group = text(names['group']);
      const target = localName(names['target'], lang);
      return group && target ? { group, target } : null;
    }
  }
}

function namesOf(input: unknown): Record<string, unknown> {
  const names = input && typeof input === 'object' ? (input as { names?: unknown }).names : undefined;
  return names && typeof names === 'object' ? (names as Record<string, unknown>) : {};
}

const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** A `{ zh, en }` name in the reader's language (the other one when that is empty). */
function localName(v: unknown, lang: Lang): string | null {
  if (!v || typeof v !== 'object') return null;
  const n = v as Partial<Bilingual>;
  return text(lang === 'en' ? n.en : n.zh) ?? text(lang === 'en' ? n.zh : n.en);
}

/**
 * `{{ w | workflowTitle }}`. Impure for the same reason as the `t` pipe: the language is a signal read here.
 */
@Pipe({ name: 'workflowTitle', pure: false })
export class WorkflowTitlePipe implements PipeTransform {
  private readonly i18n = inject(I18nService);

  transform(w: TitledWorkflow): string {
    return workflowTitle(w, this.i18n);
  }
}

/** `{{ w.kind | workflowKind }}`: impure, the language being a signal read here. */
@Pipe({ name: 'workflowKind', pure: false })
export class WorkflowKindPipe implements PipeTransform {
  private readonly i18n = inject(I18nService);

  transform(kind: string): string {
    return workflowKindName(kind, this.i18n);
  }
}
