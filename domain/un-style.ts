import { SESSION_RANGE } from './campaign';
import { type Language } from './languages';

/**
 * Dates and session numbers in words, as United Nations documents write them in the six languages:
 * the notes and the draft report both take them from here.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date in words, as United Nations documents write it in each language: "15 May 2026", "15 mai 2026". */
export function dateInWords(value: string, language: Language): string {
  const match = ISO_DATE.exec(value);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [NaN, NaN, NaN];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31 April over to 1 May: refuse instead of sending a wrong date.
  if (!match || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new Error(`"${value}" is not a calendar date (YYYY-MM-DD)`);
  }
  return UN_DATE[language](day, MONTHS[language][month - 1] as string, year);
}

/**
 * The month as it stands inside a full date in each language's UN documents. Written out rather
 * than taken from the locale data, which differs: CLDR's Arabic gives one name (and "يونيو" for the
 * UN's "يونيه"), its Russian ends in "г.", its French has no "1er".
 */
const MONTHS: Record<Language, readonly string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  ru: ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'],
  // The Syriac-derived name, a slash, the Latin-derived one, with no spaces.
  ar: ['كانون الثاني/يناير', 'شباط/فبراير', 'آذار/مارس', 'نيسان/أبريل', 'أيار/مايو', 'حزيران/يونيه', 'تموز/يوليه', 'آب/أغسطس', 'أيلول/سبتمبر', 'تشرين الأول/أكتوبر', 'تشرين الثاني/نوفمبر', 'كانون الأول/ديسمبر'],
  zh: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'],
};

/** Each language's order: "1 June 2026", "1er juin 2026", "1 de junio de 2026", "1 июня 2026 года", "2026年6月1日", "1 حزيران/يونيه 2026". */
const UN_DATE: Record<Language, (day: number, month: string, year: number) => string> = {
  en: (day, month, year) => `${day} ${month} ${year}`,
  fr: (day, month, year) => `${day === 1 ? '1er' : day} ${month} ${year}`,
  es: (day, month, year) => `${day} de ${month} de ${year}`,
  ru: (day, month, year) => `${day} ${month} ${year} года`,
  zh: (day, month, year) => `${year}年${month}月${day}日`,
  ar: (day, month, year) => `${day} ${month} ${year}`,
};

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
    throw new Error(`${session} is not a session from ${SESSION_RANGE.min} to ${SESSION_RANGE.max}`);
  }
  return language === 'zh' ? chineseOrdinal(session) : ordinalOf(ORDINAL_WORDS[language], session);
}
