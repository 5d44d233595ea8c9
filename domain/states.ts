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
  /** The official language the State's Permanent Mission corresponds in. */
  language: Language;
  /** The Permanent Mission's e-mail address for notes. */
  email: string;
}
