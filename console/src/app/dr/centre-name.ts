import type { I18nService } from '../core/i18n/i18n.service';

/** What a centre's name is read from: the Chinese name, and the English one where the centre has it. */
export interface NamedCentre {
  readonly name: string;
  readonly nameEn?: string | null;
}

/**
 * A DR centre's name in the reader's language, the same on the DR page and a run's page: in English its English
 * name, or its Chinese name where it has no English one (rather than a blank); the choice itself is I18nService.text's.
 */
export function centreDisplayName(centre: NamedCentre, i18n: Pick<I18nService, 'text'>): string {
  return i18n.text({ zh: centre.name, en: centre.nameEn || centre.name });
}
