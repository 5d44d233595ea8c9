import { SESSION_RANGE } from '../domain/campaign';
import { type Language } from '../domain/languages';
import { NOTE_PARAGRAPH, type NoteKind } from '../domain/notes';
import {
  COMMON_PIECES,
  OPTIONAL_BLOCK,
  PLACEHOLDER,
  REQUIRED_PLACEHOLDERS,
  SUBJECT_PLACEHOLDER,
  isEnvoyForm,
  type CommonPiece,
  type Obligation,
  type RecipientStatus,
  type ReportKind,
  type Templates,
} from '../config/templates';

/** Raw values of a note; dates are ISO calendar dates (YYYY-MM-DD). */
export interface NoteVars {
  symbol: string;
  reference: string;
  /** The recipient State's name as it stands after "of", in the note's language (StateEntry.namesOf). */
  recipientOf: string;
  /**
   * The recipient's status in the directory (StateEntry.status): it chooses the addressee's title, a Member State's
   * Permanent Representative or an observer State's Permanent Observer ({envoy} and its forms).
   */
  recipientStatus: RecipientStatus;
  /** The host State's (where the violation took place) name after "of"; required by the case notes only (CASE_NOTE_KINDS). */
  hostOf?: string;
  date: string;
  /** IANA zone the note's date was taken in; validated only, since calendar dates are not shifted. */
  zone: string;
  /** The reporting State's name after "of" (circulation notes). */
  reporterOf?: string;
  reportKind?: ReportKind;
  receivedOn?: string;
  summary?: string;
  occurredOn?: string;
  owed?: Obligation;
  dueOn?: string;
  reminderNumber?: number;
  /** Circular note: the General Assembly session (80 to 120) to whose report the replies go, written as an ordinal. */
  session?: number;
  /** Circular note and views-reminder: the date by which replies should reach the Secretariat. */
  deadline?: string;
  /** Views-reminder: the date of the circular note it recalls. */
  circularDate?: string;
}

/** The values each kind cannot do without (its required facts), checked before rendering whatever its template uses. */
export const REQUIRED_VARS = REQUIRED_PLACEHOLDERS as Record<NoteKind, readonly (keyof NoteVars)[]>;

export interface RenderInput {
  kind: NoteKind;
  language: Language;
  vars: NoteVars;
}

export interface RenderedNote {
  subject: string;
  text: string;
  language: Language;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function formatDate(value: string | undefined, name: string, language: Language): string | undefined {
  if (value === undefined) return undefined;
  const match = ISO_DATE.exec(value);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [NaN, NaN, NaN];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31 April over to 1 May: refuse instead of sending a wrong date.
  if (!match || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new Error(`note variable ${name}: "${value}" is not a calendar date (YYYY-MM-DD)`);
  }
  // English notes use United Nations style, day before month ("15 May 2026"), as en-GB writes it.
  const locale = language === 'en' ? 'en-GB' : language;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

/** The sessions the ordinals are written for: the eightieth to the one hundred and twentieth. */

interface OrdinalWords {
  /** The ordinal of 1 to 9 (index 0 unused), as it ends a compound number. */
  units: readonly string[];
  /** The ordinal of 10 to 20 (index 0 is 10), as it follows the hundred. */
  teens: readonly string[];
  /** The ordinal of 80 and of 90 standing alone. */
  tens: Readonly<Record<80 | 90, string>>;
  /** 81 to 99 but 90: the tens and the rest (1 to 9 after 80, 1 to 9 after 90). */
  compound: (tens: 80 | 90, rest: number) => string;
  hundredth: string;
  /** 101 to 120: the hundred and the ordinal of the rest. */
  afterHundred: (rest: string) => string;
}

function ordinalOf(words: OrdinalWords, n: number): string {
  if (n === 100) return words.hundredth;
  const rest = n % 10;
  if (n > 100) return words.afterHundred(n - 100 < 10 ? (words.units[n - 100] as string) : (words.teens[n - 110] as string));
  const tens = (n - rest) as 80 | 90;
  return rest === 0 ? words.tens[tens] : words.compound(tens, rest);
}

const EN_UNITS = ['', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth'];
const FR_UNITS = ['', 'unième', 'deuxième', 'troisième', 'quatrième', 'cinquième', 'sixième', 'septième', 'huitième', 'neuvième'];
const FR_TEENS = ['dixième', 'onzième', 'douzième', 'treizième', 'quatorzième', 'quinzième', 'seizième', 'dix-septième', 'dix-huitième', 'dix-neuvième', 'vingtième'];
const ES_UNITS = ['', 'primer', 'segundo', 'tercer', 'cuarto', 'quinto', 'sexto', 'séptimo', 'octavo', 'noveno'];
const RU_UNITS = ['', 'первой', 'второй', 'третьей', 'четвертой', 'пятой', 'шестой', 'седьмой', 'восьмой', 'девятой'];
const AR_UNITS = ['', 'الحادية', 'الثانية', 'الثالثة', 'الرابعة', 'الخامسة', 'السادسة', 'السابعة', 'الثامنة', 'التاسعة'];
const ZH_DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/**
 * Session ordinals in words, as UN style writes session numbers, each in the form its template's "at its … session"
 * needs: English "eighty-first", "one hundred and first"; French "quatre-vingt-unième", "cent unième"; Spanish the
 * masculine, shortened before "período de sesiones" ("octogésimo primer", "centésimo decimotercer"); Russian the
 * feminine after "на ее" ("восемьдесят первой", "сто первой"); Arabic the definite feminine in the genitive, after
 * "في دورتها" ("الحادية والثمانين", "الحادية بعد المائة"). Chinese, apart, writes the whole ordinal with its classifier.
 */
const ORDINAL_WORDS: Record<Exclude<Language, 'zh'>, OrdinalWords> = {
  en: {
    units: EN_UNITS,
    teens: ['tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth'],
    tens: { 80: 'eightieth', 90: 'ninetieth' },
    compound: (tens, rest) => `${tens === 80 ? 'eighty' : 'ninety'}-${EN_UNITS[rest]}`,
    hundredth: 'one hundredth',
    afterHundred: (rest) => `one hundred and ${rest}`,
  },
  fr: {
    units: FR_UNITS,
    teens: FR_TEENS,
    // 90 to 99 count on from quatre-vingts: 90 "quatre-vingt-dixième", 91 "quatre-vingt-onzième".
    tens: { 80: 'quatre-vingtième', 90: 'quatre-vingt-dixième' },
    compound: (tens, rest) => `quatre-vingt-${tens === 80 ? FR_UNITS[rest] : FR_TEENS[rest]}`,
    hundredth: 'centième',
    afterHundred: (rest) => `cent ${rest}`,
  },
  es: {
    units: ES_UNITS,
    teens: ['décimo', 'undécimo', 'duodécimo', 'decimotercer', 'decimocuarto', 'decimoquinto', 'decimosexto', 'decimoséptimo', 'decimoctavo', 'decimonoveno', 'vigésimo'],
    tens: { 80: 'octogésimo', 90: 'nonagésimo' },
    compound: (tens, rest) => `${tens === 80 ? 'octogésimo' : 'nonagésimo'} ${ES_UNITS[rest]}`,
    hundredth: 'centésimo',
    afterHundred: (rest) => `centésimo ${rest}`,
  },
  ru: {
    units: RU_UNITS,
    teens: ['десятой', 'одиннадцатой', 'двенадцатой', 'тринадцатой', 'четырнадцатой', 'пятнадцатой', 'шестнадцатой', 'семнадцатой', 'восемнадцатой', 'девятнадцатой', 'двадцатой'],
    tens: { 80: 'восьмидесятой', 90: 'девяностой' },
    compound: (tens, rest) => `${tens === 80 ? 'восемьдесят' : 'девяносто'} ${RU_UNITS[rest]}`,
    hundredth: 'сотой',
    afterHundred: (rest) => `сто ${rest}`,
  },
  ar: {
    units: AR_UNITS,
    teens: ['العاشرة', ...AR_UNITS.slice(1).map((unit) => `${unit} عشرة`), 'العشرين'],
    tens: { 80: 'الثمانين', 90: 'التسعين' },
    compound: (tens, rest) => `${AR_UNITS[rest]} و${tens === 80 ? 'الثمانين' : 'التسعين'}`,
    hundredth: 'المائة',
    afterHundred: (rest) => `${rest} بعد المائة`,
  },
};

/** Chinese: 第八十一届, 第一百届, 第一百零一届, 第一百一十届 (before 会议). */
function chineseOrdinal(n: number): string {
  const rest = n % 100;
  const tens = Math.floor(rest / 10);
  const digits = rest === 0 ? '' : tens === 0 ? `零${ZH_DIGITS[rest]}` : `${ZH_DIGITS[tens]}十${ZH_DIGITS[rest % 10]}`;
  return `第${n >= 100 ? '一百' : ''}${digits}届`;
}

/** The ordinal of a General Assembly session in a language, as it stands in "at its … session" (see ORDINAL_WORDS). */
export function sessionOrdinal(session: number, language: Language): string {
  if (!Number.isInteger(session) || session < SESSION_RANGE.min || session > SESSION_RANGE.max) {
    throw new Error(`note variable session: ${session} is not a session from ${SESSION_RANGE.min} to ${SESSION_RANGE.max}`);
  }
  return language === 'zh' ? chineseOrdinal(session) : ordinalOf(ORDINAL_WORDS[language], session);
}

function translate<K extends string, V>(dictionary: Record<K, V>, key: K | undefined, name: string): V | undefined {
  if (key === undefined) return undefined;
  if (!Object.hasOwn(dictionary, key)) throw new Error(`note variable ${name}: unknown value "${key}"`);
  return dictionary[key];
}

function checkZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new Error(`note variable zone: "${zone}" is not an IANA time zone`);
  }
}

function valueOf(templates: Templates, { kind, language, vars }: RenderInput, name: string): string | undefined {
  switch (name) {
    case 'paragraph':
      return NOTE_PARAGRAPH[kind];
    case 'date':
    case 'receivedOn':
    case 'occurredOn':
    case 'dueOn':
    case 'deadline':
    case 'circularDate':
      return formatDate(vars[name], name, language);
    case 'session':
      return vars.session === undefined ? undefined : sessionOrdinal(vars.session, language);
    case 'reportKind':
      return translate(templates.reportKinds[language], vars.reportKind, name);
    case 'owed':
      return translate(templates.obligations[language], vars.owed, name);
    case 'reminderNumber':
      if (vars.reminderNumber === undefined) return undefined;
      if (!Number.isInteger(vars.reminderNumber) || vars.reminderNumber < 1) {
        throw new Error(`note variable reminderNumber: ${vars.reminderNumber} is not a positive integer`);
      }
      return String(vars.reminderNumber);
    case 'symbol':
    case 'reference':
    case 'recipientOf':
    case 'hostOf':
    case 'reporterOf':
    case 'summary':
      return vars[name];
    default:
      if (!isEnvoyForm(language, name)) return undefined;
      return translate(templates.envoys[language], vars.recipientStatus, 'recipientStatus')?.[name];
  }
}

function isCommonPiece(name: string): name is CommonPiece {
  return (COMMON_PIECES as readonly string[]).includes(name);
}

/** Renders a note verbale from its template in the note's language. Pure; throws on a missing value. */
export function renderNote(templates: Templates, input: RenderInput): RenderedNote {
  const { kind, language } = input;
  checkZone(input.vars.zone);
  const missing = REQUIRED_VARS[kind].filter((name) => {
    const value = input.vars[name];
    return value === undefined || (typeof value === 'string' && value.trim() === '');
  });
  if (missing.length > 0) throw new Error(`note ${kind} (${language}): no value for ${missing.map((name) => `{${name}}`).join(', ')}`);
  const common = templates.common[language];
  const template = templates.notes[kind][language];
  const present = (name: string) => (valueOf(templates, input, name) ?? '').trim() !== '';

  const fill = (source: string, extra: Record<string, string>, withCommon: boolean): string =>
    source
      .replace(OPTIONAL_BLOCK, (_match, name: string, content: string) => (present(name) ? content.replace(/^ /, '') : ''))
      .replace(PLACEHOLDER, (_match, name: string) => {
        if (withCommon && isCommonPiece(name)) return fill(common[name], {}, false);
        const value = Object.hasOwn(extra, name) ? extra[name] : valueOf(templates, input, name);
        if (value === undefined || value.trim() === '') {
          throw new Error(`note ${kind} (${language}): no value for placeholder {${name}}`);
        }
        return value;
      });

  const subject = fill(template.subject, {}, true).replace(/\s+/g, ' ').trim();
  const body = fill(template.body, { [SUBJECT_PLACEHOLDER]: subject }, true);
  const text = body
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { subject, text, language };
}
