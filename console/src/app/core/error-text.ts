import { Pipe, PipeTransform, inject } from '@angular/core';
import type { ApiError, FieldProblem, Problem, ProblemParams } from './api-error';
import { I18nService, type TranslateParams } from './i18n/i18n.service';

/**
 * The one place where a refusal becomes words (issue 17.4): from the stable code and its parameters, in the
 * user's language, with the catalogue in i18n/error-messages.ts. The server's English `message` is never
 * used; a code this console does not know falls back to a text per HTTP status.
 */

/** Codes whose text says no more than "this value was refused": the server's own text says more (English only). */
const GENERIC_CODES = new Set(['input.rule', 'input.rejected']);

/**
 * Parameters that name one of the console's own vocabularies: shown by their translated name (lower-cased
 * inside an English sentence where the name is a common noun).
 */
const VOCABULARY: Record<string, { prefix: string; lower: boolean }> = {
  level: { prefix: 'quotas.level.', lower: true },
  resourceClass: { prefix: 'quotas.class.', lower: false },
  status: { prefix: 'requests.status.', lower: true },
};

/** The text of one problem (a whole answer's code or one field's issue). */
export function problemText(i18n: I18nService, problem: Problem): string {
  if (problem.detail && i18n.lang() === 'en' && GENERIC_CODES.has(problem.code)) return problem.detail;
  const params = localParams(i18n, problem.params);
  if (problem.issue) {
    const origin = problem.params?.['origin'];
    const keys = [
      ...(typeof origin === 'string' ? [`err.issue.${problem.code}.${origin}`] : []),
      `err.issue.${problem.code}`,
      `err.${problem.code}`,
      'err.issue.input.rule',
    ];
    return i18n.t(keys.find((k) => i18n.has(k))!, params);
  }
  const base = `err.${problem.code}`;
  if (!i18n.has(base)) return '';
  const text = i18n.t(variantKey(i18n, base, Object.keys(problem.params ?? {})), params);
  // A parameter that came malformed (dropped by toApiError) must not leave a placeholder on the screen.
  return /\{\w+[,}]/.test(text) ? i18n.t(base) : text;
}

/** The variant `<base>.with.<a>+<b>` using the most of the parameters sent, else the base. */
function variantKey(i18n: I18nService, base: string, names: string[]): string {
  const sorted = [...names].sort().slice(0, 8);
  let best = base;
  let bestSize = 0;
  for (let mask = 1; mask < 1 << sorted.length; mask++) {
    const subset = sorted.filter((_, i) => mask & (1 << i));
    const key = `${base}.with.${subset.join('+')}`;
    if (subset.length > bestSize && i18n.has(key)) {
      best = key;
      bestSize = subset.length;
    }
  }
  return best;
}

/** The sentence for a failed call: its code's text, or the status's when the code is unknown here. */
export function errorText(i18n: I18nService, error: ApiError): string {
  if (error.local) return i18n.t(error.local.key, error.local.params);
  const fromCode = error.reason ? problemText(i18n, { code: error.reason.code, params: error.reason.params }) : '';
  if (fromCode) return fromCode;
  const status = `err.status.${error.status}`;
  if (i18n.has(status)) return i18n.t(status);
  return i18n.t('err.status.other', { code: error.reason?.code ?? error.code });
}

/** A field's name as the form shows it, by the problem's dotted path; null when the form has no such field. */
export type FieldLabels = Readonly<Record<string, string>>;

/** A field problem that matched no control: the field's label (else its path), then its text. */
export function fieldProblemText(i18n: I18nService, f: FieldProblem, labels: FieldLabels = {}): string {
  const message = problemText(i18n, f.problem);
  return f.path ? i18n.t('err.field', { field: labels[f.path] ?? f.path, message }) : message;
}

/**
 * The summary of a refusal that names fields, when the form can name the first of them: "<label>: <reason>",
 * and how many more there are ("名称：至少 2 个字符（另有 1 处）"). Null when the refusal names no field or the
 * form has no label for the first one (the caller then says the refusal's own text).
 */
export function fieldSummary(i18n: I18nService, error: ApiError, labels: FieldLabels): string | null {
  if (error.local || error.fields.length === 0) return null;
  const first = error.fields[0]!;
  const field = labels[first.path];
  if (!field) return null;
  const message = problemText(i18n, first.problem);
  if (!message) return null;
  const more = error.fields.length - 1;
  return more > 0 ? i18n.t('err.fieldSummary.more', { field, message, more }) : i18n.t('err.field', { field, message });
}

function localParams(i18n: I18nService, params: ProblemParams | undefined): TranslateParams | undefined {
  if (!params) return undefined;
  const out: TranslateParams = {};
  for (const [name, value] of Object.entries(params)) {
    const vocabulary = VOCABULARY[name];
    if (name === 'roles' && typeof value === 'string') {
      out[name] = i18n.list(value.split(/,\s*/).map((r) => (i18n.has(`role.${r}`) ? i18n.t(`role.${r}`) : r)));
    } else if (vocabulary && typeof value === 'string' && i18n.has(vocabulary.prefix + value)) {
      const text = i18n.t(vocabulary.prefix + value);
      out[name] = vocabulary.lower && i18n.lang() === 'en' ? text.toLowerCase() : text;
    } else {
      out[name] = value;
    }
  }
  return out;
}

/** `{{ problem | problemText }}`: one field's or row's problem; impure for the language switch. */
@Pipe({ name: 'problemText', pure: false })
export class ProblemTextPipe implements PipeTransform {
  private readonly i18n = inject(I18nService);

  transform(problem: Problem | null | undefined): string {
    return problem ? problemText(this.i18n, problem) : '';
  }
}

/** `{{ error | errorText }}`: impure, so a language switch re-renders it. */
@Pipe({ name: 'errorText', pure: false })
export class ErrorTextPipe implements PipeTransform {
  private readonly i18n = inject(I18nService);

  transform(error: ApiError | null | undefined): string {
    return error ? errorText(this.i18n, error) : '';
  }
}
