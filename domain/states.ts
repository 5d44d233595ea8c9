import { type Language } from './languages';

/** ISO 3166-1 alpha-3 code of a State, e.g. "FRA". */
export type Iso3 = string;

export const ISO3_PATTERN = /^[A-Z]{3}$/;

/** One State of the directory: a Member State or an observer State. */
export interface StateEntry {
  code: Iso3;
  status: 'member' | 'observer';
  /** The State's short name in each of the six official languages. */
  names: Record<Language, string>;
  /** The name as it stands after "of" in each language, with its preposition/article or case: "of the Sudan", "du Mexique", "del Perú", "Франции", "للصين". */
  namesOf: Record<Language, string>;
  /**
   * The name as the subject of a sentence, where `nameInText` cannot work it out: the Russian and Arabic forms of the
   * bracketed list names ("Исламская Республика Иран", "جمهورية إيران الإسلامية"). Any language may be given.
   */
  namesInText?: Partial<Record<Language, string>>;
  /** The official language the State's Permanent Mission corresponds in. */
  language: Language;
  /** The Permanent Mission's e-mail address for notes. */
  email: string;
}

/**
 * How English, French and Spanish write the name in a sentence, from the form after "of": the preposition goes and a
 * contracted article comes back ("of the Sudan" → "the Sudan", "du Soudan" → "le Soudan", "des Philippines" → "les
 * Philippines", "d'Israël" → "Israël", "del Sudán" → "el Sudán"). The "of" forms already undo the bracketed list forms.
 */
const FROM_NAME_OF: Partial<Record<Language, readonly (readonly [RegExp, string])[]>> = {
  en: [[/^of /, '']],
  fr: [[/^du /, 'le '], [/^des /, 'les '], [/^de /, ''], [/^d['’]/, '']],
  es: [[/^del /, 'el '], [/^de /, '']],
};

/** A list form's bracket ("Iran (Islamic Republic of)", "刚果（布）"): right in lists and tables, wrong in a sentence. */
export const LIST_BRACKET = /[()（）]/;

/**
 * A State's name in running text, with its article where the language gives it one, in lower case as mid-sentence:
 * "the Islamic Republic of Iran", "le Royaume des Pays-Bas", "el Estado Plurinacional de Bolivia", "the Sudan", "Japan".
 * Russian, Chinese and Arabic take the short name, in the nominative. Undefined when the entry gives no way to it
 * (the directory refuses such an entry when it is read).
 */
export function nameInText(entry: Pick<StateEntry, 'names' | 'namesOf' | 'namesInText'>, language: Language): string | undefined {
  const given = entry.namesInText?.[language];
  if (given !== undefined) return given;
  const rules = FROM_NAME_OF[language];
  if (!rules) return LIST_BRACKET.test(entry.names[language]) ? undefined : entry.names[language];
  const of = entry.namesOf[language];
  for (const [prefix, article] of rules) if (prefix.test(of)) return of.replace(prefix, article);
  return undefined;
}

/** The name opening a sentence: "The Islamic Republic of Iran", "La République islamique d'Iran", "El Sudán". */
export function nameAtSentenceStart(entry: Pick<StateEntry, 'names' | 'namesOf' | 'namesInText'>, language: Language): string | undefined {
  const name = nameInText(entry, language);
  return name === undefined ? undefined : name.charAt(0).toUpperCase() + name.slice(1);
}
