/** A wave's precheck results as the console lists them: from the precheck call's answer or the wave's stored record. */
export interface PrecheckLine {
  readonly candidateId: string;
  readonly systemName: string;
  readonly verdicts: readonly { readonly check: string; readonly ok: boolean; readonly zh: string; readonly en: string }[];
}

/** The wave's stored prechecks (typed `unknown` by the API): the well-formed entries. */
export function precheckLines(raw: unknown): PrecheckLine[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((s: unknown) => {
    if (!s || typeof s !== 'object') return [];
    const o = s as Record<string, unknown>;
    if (typeof o['systemName'] !== 'string' || !Array.isArray(o['verdicts'])) return [];
    const verdicts = (o['verdicts'] as unknown[]).flatMap((v) => {
      if (!v || typeof v !== 'object') return [];
      const x = v as Record<string, unknown>;
      return typeof x['zh'] === 'string' && typeof x['en'] === 'string' ? [{ check: String(x['check'] ?? ''), ok: x['ok'] === true, zh: x['zh'], en: x['en'] }] : [];
    });
    return [{ candidateId: String(o['candidateId'] ?? ''), systemName: o['systemName'], verdicts }];
  });
}
