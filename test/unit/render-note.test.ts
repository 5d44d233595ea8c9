import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { renderNote, type NoteVars } from '../../activities/render-note';
import { sessionOrdinal } from '../../domain/un-style';
import { DEFAULT_DIRECTORY_PATH, loadDirectory } from '../../config/directory';
import { loadResolution } from '../../config/resolution';
import {
  CASE_NOTE_KINDS,
  COMMON_PIECES,
  ENVOY_FORMS,
  OBLIGATIONS,
  RECIPIENT_STATUSES,
  REPORT_KINDS,
  TemplateError,
  loadTemplates,
  parseTemplates,
  type Templates,
} from '../../config/templates';
import { LANGUAGES, type Language } from '../../domain/languages';
import { NOTE_KINDS, type NoteKind } from '../../domain/notes';

/** Names as they stand after "of" (StateEntry.namesOf). */
const RECIPIENT: Record<Language, string> = {
  ar: 'لفرنسا',
  zh: '法国',
  en: 'of France',
  fr: 'de la France',
  ru: 'Франции',
  es: 'de Francia',
};
const HOST: Record<Language, string> = {
  ar: 'لروريتانيا',
  zh: '鲁里塔尼亚',
  en: 'of Ruritania',
  fr: 'de la Ruritanie',
  ru: 'Руритании',
  es: 'de Ruritania',
};
const REPORTER: Record<Language, string> = {
  ar: 'لفريدونيا',
  zh: '弗里多尼亚',
  en: 'of Freedonia',
  fr: 'de la Freedonie',
  ru: 'Фридонии',
  es: 'de Freedonia',
};

function vars(language: Language, overrides: Partial<NoteVars> = {}): NoteVars {
  return {
    symbol: 'LA/COD/79/124/LA-2026-017',
    reference: 'LA-2026-017',
    recipientOf: RECIPIENT[language],
    recipientStatus: 'member',
    hostOf: HOST[language],
    date: '2026-06-02',
    zone: 'America/New_York',
    reporterOf: REPORTER[language],
    reportKind: 'violation',
    receivedOn: '2026-05-15',
    summary: 'Unknown persons forced entry into the chancery.',
    occurredOn: '2026-05-10',
    owed: 'host-report',
    dueOn: '2026-05-15',
    reminderNumber: 2,
    session: 81,
    deadline: '2026-05-15',
    circularDate: '2025-01-20',
    ...overrides,
  };
}

/** The values of a campaign note (circular, views-reminder): no host, no case. */
function campaignVars(language: Language, overrides: Partial<NoteVars> = {}): NoteVars {
  return {
    symbol: 'LA/COD/81',
    reference: 'LA/COD/81',
    recipientOf: RECIPIENT[language],
    recipientStatus: 'member',
    date: '2025-01-20',
    zone: 'America/New_York',
    session: 81,
    deadline: '2026-05-15',
    circularDate: '2025-01-20',
    ...overrides,
  };
}

/** The shipped resolution, 79/124: what the shipped templates cite. */
const resolution = loadResolution();

const CAMPAIGN_KINDS = NOTE_KINDS.filter((kind) => !(CASE_NOTE_KINDS as readonly string[]).includes(kind));

/** A small valid raw object, independent of the shipped wording. */
function rawTemplates(): Record<string, Record<string, Record<string, unknown>>> {
  const perLanguage = <T>(make: (language: Language) => T) =>
    Object.fromEntries(LANGUAGES.map((language) => [language, make(language)]));
  const keys = (list: readonly string[]) => Object.fromEntries(list.map((key) => [key, `${key} text`]));
  return {
    common: perLanguage(() => ({ ...keys(COMMON_PIECES), compliments: 'To the {envoy} {recipientOf}:', close: 'Regards to the {envoy}.' })),
    envoys: perLanguage((language) =>
      Object.fromEntries(RECIPIENT_STATUSES.map((status) => [status, Object.fromEntries(ENVOY_FORMS[language].map((form) => [form, `${status} ${form}`]))])),
    ),
    reportKinds: perLanguage(() => keys(REPORT_KINDS)),
    obligations: perLanguage(() => keys(OBLIGATIONS)),
    notes: Object.fromEntries(
      NOTE_KINDS.map((kind) => [kind, perLanguage(() => ({ subject: 'Re {resolutionTitle}', body: '{symbol}\n{compliments} body.\n{close}' }))]),
    ),
  };
}

function refusal(raw: unknown): TemplateError {
  try {
    parseTemplates(raw, 'test-templates.yaml');
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('templates were accepted');
}

describe('shipped note templates', () => {
  let templates: Templates;
  beforeAll(() => {
    templates = loadTemplates();
  });

  it.each(NOTE_KINDS.flatMap((kind) => LANGUAGES.map((language) => [kind, language] as [NoteKind, Language])))(
    'render %s in %s completely',
    (kind, language) => {
      const note = renderNote(templates, resolution, { kind, language, vars: vars(language) });
      expect(note.language).toBe(language);
      for (const part of [note.subject, note.text]) {
        expect(part).not.toMatch(/[{}]|\[\[|\]\]|undefined/);
      }
      expect(note.text.startsWith('LA/COD/79/124/LA-2026-017\n\n')).toBe(true);
      expect(note.text).toContain(note.subject);
      expect(note.text).toContain(RECIPIENT[language]);
      if (kind === 'attention' || kind === 'reminder') expect(note.text).toContain(HOST[language]);
      if (kind === 'circulation') expect(note.text).toContain(REPORTER[language]);
      expect(note.text).toContain(resolution.title[language]);
      expect(note.subject).toContain('79/124');
    },
  );

  it('uses the French formula of compliments and the recipient name passed', () => {
    const note = renderNote(templates, resolution, { kind: 'reminder', language: 'fr', vars: vars('fr') });
    expect(note.text).toContain(
      "Le Secrétaire général de l'Organisation des Nations Unies présente ses compliments au Représentant permanent de la France auprès de l'Organisation des Nations Unies et a l'honneur de",
    );
    expect(note.text).toContain('les assurances de sa très haute considération.');
    expect(note.text).toContain('le rapport demandé au paragraphe 11 a)');
  });

  it('formats dates in the language of the note, without shifting the calendar date', () => {
    const far = { zone: 'Pacific/Kiritimati', dueOn: '2026-05-15' };
    const text = (language: Language) => renderNote(templates, resolution, { kind: 'reminder', language, vars: vars(language, far) }).text;
    expect(text('fr')).toContain('depuis le 15 mai 2026');
    expect(text('es')).toContain('15 de mayo de 2026');
    expect(text('ru')).toContain('15 мая 2026 года');
    expect(text('ar')).toContain('15 أيار/مايو 2026');
    expect(text('zh')).toContain('2026年5月15日');
    expect(text('en')).toContain('has been awaited since 15 May 2026');
  });

  it('fills the paragraph of the note kind and the translated dictionary entries', () => {
    const en = renderNote(templates, resolution, { kind: 'circulation', language: 'en', vars: vars('en', { reportKind: 'outcome' }) });
    expect(en.text).toContain('in paragraph 12 (b) of which');
    expect(en.text).toContain('a report on the final outcome of the proceedings against the offender');
    const es = renderNote(templates, resolution, { kind: 'reminder', language: 'es', vars: vars('es', { owed: 'follow-up' }) });
    expect(es.text).toContain('el informe de seguimiento solicitado en el párrafo 11 b)');
    expect(es.subject).toContain('recordatorio núm. 2');
  });

  it('includes the summary sentence only when there is a summary', () => {
    const withSummary = renderNote(templates, resolution, { kind: 'circulation', language: 'en', vars: vars('en') });
    expect(withSummary.text).toContain('The report may be summarized as follows: Unknown persons forced entry into the chancery.');

    for (const summary of ['', '   ', undefined]) {
      const without = renderNote(templates, resolution, { kind: 'circulation', language: 'en', vars: vars('en', { summary }) });
      expect(without.text).not.toContain('summarized');
      expect(without.text).not.toMatch(/\n{3}/);
      expect(without.text).toMatch(/\(reference LA-2026-017\)\.\n\nThe Secretary-General avails himself/);
    }
  });

  it('throws naming a placeholder whose value is missing', () => {
    expect(() => renderNote(templates, resolution, { kind: 'reminder', language: 'fr', vars: vars('fr', { dueOn: undefined }) })).toThrow(/\{dueOn\}/);
    expect(() => renderNote(templates, resolution, { kind: 'circulation', language: 'ar', vars: vars('ar', { reporterOf: '' }) })).toThrow(
      /\{reporterOf\}/,
    );
  });

  it('refuses impossible dates, unknown dictionary keys and unknown zones', () => {
    expect(() => renderNote(templates, resolution, { kind: 'attention', language: 'en', vars: vars('en', { occurredOn: '2026-04-31' }) })).toThrow(
      /occurredOn/,
    );
    const bogus = { owed: 'other-report' } as unknown as Partial<NoteVars>;
    expect(() => renderNote(templates, resolution, { kind: 'reminder', language: 'en', vars: vars('en', bogus) })).toThrow(/owed/);
    expect(() => renderNote(templates, resolution, { kind: 'reminder', language: 'en', vars: vars('en', { zone: 'Mars/Olympus' }) })).toThrow(/zone/);
  });
});

describe('the campaign notes of paragraphs 12 (a) and 13', () => {
  const templates = loadTemplates();

  it('are the kinds that name no host State', () => {
    expect(CAMPAIGN_KINDS).toEqual(['circular', 'views-reminder']);
  });

  it.each(CAMPAIGN_KINDS.flatMap((kind) => LANGUAGES.map((language) => [kind, language] as [NoteKind, Language])))(
    'render %s in %s completely, without a host or a case',
    (kind, language) => {
      const note = renderNote(templates, resolution, { kind, language, vars: campaignVars(language) });
      // "г.." would be a Russian date ending a sentence.
      for (const part of [note.subject, note.text]) expect(part).not.toMatch(/[{}]|\[\[|\]\]|undefined|NaN|\.\.| {2}/);
      expect(note.text.startsWith('LA/COD/81\n\n')).toBe(true);
      expect(note.text).toContain(note.subject);
      expect(note.text).toContain(RECIPIENT[language]);
      expect(note.text).toContain(resolution.title[language]);
      expect(note.text).not.toContain(HOST[language]);
      expect(note.subject).toContain('79/124');
      // Both recall paragraphs 11 and 13 and the guidelines or the deadline, in the language's own numbering.
      expect(note.text).toMatch(/11/);
      expect(note.text).toMatch(/13/);
    },
  );

  it('writes the English circular note: paragraphs 11 and 13, the session and the deadline', () => {
    const { subject, text } = renderNote(templates, resolution, { kind: 'circular', language: 'en', vars: campaignVars('en') });
    expect(subject).toContain('reports under paragraph 11 and views under paragraph 13');
    expect(text).toContain('in paragraph 12 (a) of which the Assembly requested the Secretary-General to send, without delay, a circular note to all States');
    expect(text).toContain('reminding them of the request contained in paragraph 11 of that resolution');
    expect(text).toContain('In paragraph 11 (a) of the resolution, the Assembly urged all States to report');
    expect(text).toContain('in accordance with the guidelines prepared by the Secretary-General (A/42/485, annex)');
    expect(text).toContain('In paragraph 11 (b), it urged the State in which the violation took place');
    expect(text).toContain('In paragraph 13 of the resolution, the Assembly also requested the Secretary-General to invite States');
    expect(text).toContain('any measures needed or already taken to enhance the protection, security and safety');
    expect(text).toContain('to be submitted to the General Assembly at its eighty-first session pursuant to paragraph 14');
    expect(text).toContain('not later than 15 May 2026');
    expect(text).toContain('presents his compliments to the Permanent Representative of France to the United Nations');
    expect(text.endsWith('20 January 2025')).toBe(true);
  });

  it('writes the session and the deadline in the language of the note', () => {
    const text = (language: Language) => renderNote(templates, resolution, { kind: 'circular', language, vars: campaignVars(language) }).text;
    expect(text('fr')).toContain("présentera à l'Assemblée générale à sa quatre-vingt-unième session");
    expect(text('fr')).toContain('au plus tard le 15 mai 2026');
    expect(text('fr')).not.toContain('May');
    expect(text('es')).toContain('en su octogésimo primer período de sesiones');
    expect(text('es')).toContain('a más tardar el 15 de mayo de 2026');
    expect(text('ru')).toContain('Генеральной Ассамблее на ее восемьдесят первой сессии');
    expect(text('ru')).toContain('если бы не позднее 15 мая 2026 года ответы поступили в Секретариат');
    expect(text('zh')).toContain('提交大会第八十一届会议的报告');
    expect(text('zh')).toContain('不迟于2026年5月15日');
    expect(text('ar')).toContain('إلى الجمعية العامة في دورتها الحادية والثمانين');
    const other = renderNote(templates, resolution, { kind: 'circular', language: 'en', vars: campaignVars('en', { session: 83, deadline: '2028-05-12' }) }).text;
    expect(other).toContain('at its eighty-third session');
    expect(other).toContain('not later than 12 May 2028');
  });

  it('reminds a State of the circular note and of the deadline', () => {
    const en = renderNote(templates, resolution, { kind: 'views-reminder', language: 'en', vars: campaignVars('en') });
    expect(en.subject).toContain('reminder concerning the circular note of 20 January 2025');
    expect(en.text).toContain('refer to his circular note of 20 January 2025');
    expect(en.text).toContain('pursuant to paragraph 13, invited them to inform him of their views');
    expect(en.text).toContain('the request contained in paragraph 11');
    expect(en.text).toContain('not later than 15 May 2026');
    const fr = renderNote(templates, resolution, { kind: 'views-reminder', language: 'fr', vars: campaignVars('fr') });
    expect(fr.subject).toContain('rappel concernant la note circulaire du 20 janvier 2025');
    expect(fr.text).toContain('au plus tard le 15 mai 2026');
    const es = renderNote(templates, resolution, { kind: 'views-reminder', language: 'es', vars: campaignVars('es') });
    expect(es.text).toContain('su nota circular de fecha 20 de enero de 2025');
  });

  it('needs no host for campaign notes but refuses a case note without one', () => {
    expect(() => renderNote(templates, resolution, { kind: 'circular', language: 'en', vars: campaignVars('en', { hostOf: undefined }) })).not.toThrow();
    for (const kind of CASE_NOTE_KINDS) {
      expect(() => renderNote(templates, resolution, { kind, language: 'en', vars: vars('en', { hostOf: undefined }) })).toThrow(
        `note ${kind} (en): no value for {hostOf}`,
      );
    }
    expect(() => renderNote(templates, resolution, { kind: 'reminder', language: 'fr', vars: vars('fr', { hostOf: ' ' }) })).toThrow(/\{hostOf\}/);
  });

  it('refuses a campaign note without its session, deadline or circular date, or with a bad one', () => {
    expect(() => renderNote(templates, resolution, { kind: 'circular', language: 'en', vars: campaignVars('en', { session: undefined, deadline: undefined }) })).toThrow(
      'note circular (en): no value for {session}, {deadline}',
    );
    expect(() => renderNote(templates, resolution, { kind: 'views-reminder', language: 'ru', vars: campaignVars('ru', { circularDate: undefined }) })).toThrow(
      'note views-reminder (ru): no value for {circularDate}',
    );
    expect(() => renderNote(templates, resolution, { kind: 'circular', language: 'fr', vars: campaignVars('fr', { session: 79 }) })).toThrow(
      /session: 79 is not a session from 80 to 120/,
    );
    expect(() => renderNote(templates, resolution, { kind: 'circular', language: 'en', vars: campaignVars('en', { deadline: '2026-02-30' }) })).toThrow(/deadline/);
    expect(() => renderNote(templates, resolution, { kind: 'views-reminder', language: 'en', vars: campaignVars('en', { circularDate: '20/01/2025' }) })).toThrow(/circularDate/);
  });
});

describe('sessionOrdinal', () => {
  it('writes the eighty-first session in the six languages, as UN style spells it', () => {
    const expected: Record<Language, string> = {
      en: 'eighty-first',
      fr: 'quatre-vingt-unième',
      es: 'octogésimo primer',
      ru: 'восемьдесят первой',
      zh: '第八十一届',
      ar: 'الحادية والثمانين',
    };
    for (const language of LANGUAGES) expect(sessionOrdinal(81, language)).toBe(expected[language]);
  });

  it.each([
    [80, 'eightieth', 'quatre-vingtième', 'octogésimo', 'восьмидесятой', '第八十届', 'الثمانين'],
    [83, 'eighty-third', 'quatre-vingt-troisième', 'octogésimo tercer', 'восемьдесят третьей', '第八十三届', 'الثالثة والثمانين'],
    [90, 'ninetieth', 'quatre-vingt-dixième', 'nonagésimo', 'девяностой', '第九十届', 'التسعين'],
    [91, 'ninety-first', 'quatre-vingt-onzième', 'nonagésimo primer', 'девяносто первой', '第九十一届', 'الحادية والتسعين'],
    [97, 'ninety-seventh', 'quatre-vingt-dix-septième', 'nonagésimo séptimo', 'девяносто седьмой', '第九十七届', 'السابعة والتسعين'],
    [100, 'one hundredth', 'centième', 'centésimo', 'сотой', '第一百届', 'المائة'],
    [101, 'one hundred and first', 'cent unième', 'centésimo primer', 'сто первой', '第一百零一届', 'الحادية بعد المائة'],
    [110, 'one hundred and tenth', 'cent dixième', 'centésimo décimo', 'сто десятой', '第一百一十届', 'العاشرة بعد المائة'],
    [111, 'one hundred and eleventh', 'cent onzième', 'centésimo undécimo', 'сто одиннадцатой', '第一百一十一届', 'الحادية عشرة بعد المائة'],
    [113, 'one hundred and thirteenth', 'cent treizième', 'centésimo decimotercer', 'сто тринадцатой', '第一百一十三届', 'الثالثة عشرة بعد المائة'],
    [120, 'one hundred and twentieth', 'cent vingtième', 'centésimo vigésimo', 'сто двадцатой', '第一百二十届', 'العشرين بعد المائة'],
  ])('writes session %i', (session, en, fr, es, ru, zh, ar) => {
    expect(LANGUAGES.map((language) => sessionOrdinal(session, language))).toEqual([ar, zh, en, fr, ru, es]);
  });

  it('writes every session from 80 to 120 in words, distinctly', () => {
    for (const language of LANGUAGES) {
      const words = Array.from({ length: 41 }, (_, i) => sessionOrdinal(80 + i, language));
      expect(new Set(words).size).toBe(41);
      for (const word of words) expect(word).not.toMatch(/\d|undefined|^\s|\s$|\s{2}/);
    }
  });

  it('refuses sessions outside 80 to 120 and non-integers', () => {
    for (const session of [79, 121, 81.5, Number.NaN]) {
      expect(() => sessionOrdinal(session, 'en')).toThrow(/is not a session from 80 to 120/);
    }
  });
});

describe('State names in the shipped notes', () => {
  const directory = loadDirectory(DEFAULT_DIRECTORY_PATH);
  const templates = loadTemplates();
  const AWKWARD = ['USA', 'GBR', 'NLD', 'MEX', 'ITA', 'CHN', 'IRN', 'PHL', 'SLV', 'ARG', 'ISR', 'BHS'];
  const CHECKED: Language[] = ['fr', 'ru', 'es', 'en', 'ar', 'zh'];

  /** Patterns no note may contain, whatever the State: missing contraction or elision, doubled prepositions. */
  const UNGRAMMATICAL: Record<Language, RegExp[]> = {
    fr: [/\bde le /, /\bde les /, /\bde la [AEIOUYÉÈÊÎÔ]/, /\bde [AEIOUYÉÈÊÎÔ]/, /\bde (du|des|de|d')\b/, /\b(du|des) (de|du|des)\b/],
    es: [/\bde el /, /\bde (del|de)\b/, /\ben el territorio (de )?en\b/],
    en: [/\bof of\b/, /\bthe the\b/, /\bin (the )?(United|Netherlands|Philippines|Bahamas)\b/],
    ru: [/представителю (Соединенные Штаты|Соединенное Королевство|Мексика|Италия|Китай |Нидерланды|Иран |Франция)/],
    ar: [/لـ/, /(?<![\u0621-\u064A])لال/],
    zh: [],
  };

  const notesFor = (code: string, language: Language) => {
    const of = directory.require(code).namesOf[language];
    return NOTE_KINDS.map((kind) =>
      renderNote(templates, resolution, { kind, language, vars: vars(language, { recipientOf: of, hostOf: of, reporterOf: of }) }),
    );
  };

  it.each(AWKWARD)('writes %s grammatically in every slot of every note', (code) => {
    const state = directory.require(code);
    for (const language of CHECKED) {
      const of = state.namesOf[language];
      for (const note of notesFor(code, language)) {
        const where = `${code} ${language}: `;
        for (const pattern of UNGRAMMATICAL[language]) expect(where + note.text).not.toMatch(pattern);
        expect(note.text).not.toMatch(/ {2}/);
        const lead: Record<Language, string> = {
          fr: 'Représentant permanent ',
          es: 'Representante Permanente ',
          en: 'Permanent Representative ',
          ru: 'Постоянному представителю ',
          ar: 'الممثل الدائم ',
          zh: '向',
        };
        expect(where + note.text).toContain(lead[language] + of);
      }
    }
  });

  it('puts the host and the reporter into their "of" slots', () => {
    const [circulation, attention, reminder] = NOTE_KINDS.map((kind) => {
      const language: Language = 'fr';
      const v = vars(language, {
        recipientOf: directory.require('FRA').namesOf.fr,
        hostOf: directory.require('MEX').namesOf.fr,
        reporterOf: directory.require('USA').namesOf.fr,
      });
      return renderNote(templates, resolution, { kind, language, vars: v }).text;
    });
    expect(NOTE_KINDS).toEqual(['circulation', 'attention', 'reminder', 'circular', 'views-reminder']);
    expect(circulation).toContain("reçu du Gouvernement des États-Unis d'Amérique le");
    expect(circulation).toContain('sur le territoire du Mexique (référence');
    expect(attention).toContain('survenue sur le territoire du Mexique le');
    expect(reminder).toContain('concernant la violation survenue sur le territoire du Mexique (référence');

    const es = renderNote(templates, resolution, { kind: 'circulation', language: 'es', vars: vars('es', {
      hostOf: directory.require('GBR').namesOf.es, reporterOf: directory.require('PER').namesOf.es,
    }) }).text;
    expect(es).toContain('recibido del Gobierno del Perú el');
    expect(es).toContain('ocurridos en el territorio del Reino Unido de Gran Bretaña e Irlanda del Norte (referencia');

    const en = renderNote(templates, resolution, { kind: 'attention', language: 'en', vars: vars('en', { hostOf: directory.require('NLD').namesOf.en }) }).text;
    expect(en).toContain('which took place in the territory of the Kingdom of the Netherlands on 10 May 2026');

    const ar = renderNote(templates, resolution, { kind: 'reminder', language: 'ar', vars: vars('ar', {
      recipientOf: directory.require('CHN').namesOf.ar, hostOf: directory.require('EGY').namesOf.ar,
    }) }).text;
    expect(ar).toContain('إلى الممثل الدائم للصين لدى الأمم المتحدة');
    expect(ar).toContain('للممثل الدائم للصين عن');
    expect(ar).toContain('وقع في الإقليم التابع لمصر');
  });

  it('addresses the Russian recipient in the genitive stored in the directory', () => {
    const expected: Record<string, string> = {
      USA: 'Соединенных Штатов Америки',
      GBR: 'Соединенного Королевства Великобритании и Северной Ирландии',
      NLD: 'Королевства Нидерландов',
      MEX: 'Мексики',
      ITA: 'Италии',
      CHN: 'Китая',
      IRN: 'Исламской Республики Иран',
      FRA: 'Франции',
    };
    for (const [code, genitive] of Object.entries(expected)) {
      const state = directory.require(code);
      expect(state.namesOf.ru).toBe(genitive);
      expect(state.namesOf.ru).not.toBe(state.names.ru);
      for (const note of notesFor(code, 'ru')) {
        expect(note.text).toContain(`свидетельствует свое уважение Постоянному представителю ${genitive} при Организации Объединенных Наций`);
        expect(note.text).toContain(`возобновить Постоянному представителю ${genitive} уверения`);
        expect(note.text).not.toContain(`представителю ${state.names.ru}`);
      }
    }
    const attention = renderNote(templates, resolution, { kind: 'attention', language: 'ru', vars: vars('ru', { hostOf: directory.require('USA').namesOf.ru }) });
    expect(attention.text).toContain('имевшем место на территории Соединенных Штатов Америки');
  });
});

describe('the addressee\'s title, chosen by the recipient\'s status', () => {
  const directory = loadDirectory(DEFAULT_DIRECTORY_PATH);
  const templates = loadTemplates();

  /** A Member State's title, in any of the forms the notes use; written here, not taken from the templates under test. */
  const MEMBER_TITLE: Record<Language, RegExp> = {
    ar: /ممثل الدائم/,
    zh: /常驻(联合国)?代表/,
    en: /Permanent Representative/,
    fr: /Représentant permanent/,
    ru: /Постоянн\S* представител/,
    es: /Representante Permanente/,
  };
  const OBSERVER_TITLE: Record<Language, RegExp> = {
    ar: /المراقب الدائم/,
    zh: /常驻联合国观察员/,
    en: /Permanent Observer/,
    fr: /Observateur permanent/,
    ru: /Постоянному наблюдателю/,
    es: /Observador Permanente/,
  };

  /** Every kind of note to a State, as the note activity fills the variables from the directory entry. */
  const notesTo = (code: string, language: Language): Record<NoteKind, string> => {
    const state = directory.require(code);
    const v = vars(language, { recipientOf: state.namesOf[language], recipientStatus: state.status });
    return Object.fromEntries(NOTE_KINDS.map((kind) => [kind, renderNote(templates, resolution, { kind, language, vars: v }).text])) as Record<NoteKind, string>;
  };

  it('knows the Holy See and the State of Palestine as the observer States of the directory', () => {
    expect(directory.codes().filter((code) => directory.require(code).status === 'observer')).toEqual(['PSE', 'VAT']);
  });

  it.each(['VAT', 'PSE'])('addresses every note to %s to its Permanent Observer, never a Permanent Representative, in every language', (code) => {
    for (const language of LANGUAGES) {
      for (const [kind, text] of Object.entries(notesTo(code, language))) {
        const where = `${code} ${kind} ${language}: `;
        expect(where + text).not.toMatch(MEMBER_TITLE[language]);
        expect(where + text).toMatch(OBSERVER_TITLE[language]);
      }
    }
  });

  it('writes to the Holy See in English and French', () => {
    const en = notesTo('VAT', 'en');
    for (const text of Object.values(en)) {
      expect(text).toContain('presents his compliments to the Permanent Observer of the Holy See to the United Nations and has the honour to');
      expect(text).toContain('renew to the Permanent Observer of the Holy See the assurances of his highest consideration.');
    }
    expect(en.attention).toContain("Since the Permanent Observer's State is directly concerned");
    expect(en.attention).toContain('grateful if the Permanent Observer would ensure');
    expect(en.reminder).toContain('grateful if the Permanent Observer would arrange');

    const fr = notesTo('VAT', 'fr');
    for (const text of Object.values(fr)) {
      expect(text).toContain(
        "présente ses compliments à l'Observateur permanent du Saint-Siège auprès de l'Organisation des Nations Unies et a l'honneur de",
      );
      expect(text).toContain("renouveler à l'Observateur permanent du Saint-Siège les assurances de sa très haute considération.");
      expect(text).not.toMatch(/\bau Observateur|\bdu Observateur/);
    }
    expect(fr.attention).toContain("L'État de l'Observateur permanent étant directement concerné");
    expect(fr.attention).toContain("saurait gré à l'Observateur permanent de bien vouloir");
    expect(fr.reminder).toContain("Il saurait gré à l'Observateur permanent de bien vouloir");
  });

  it('writes to the State of Palestine in English, French and Arabic', () => {
    for (const text of Object.values(notesTo('PSE', 'en'))) {
      expect(text).toContain('presents his compliments to the Permanent Observer of the State of Palestine to the United Nations');
      expect(text).toContain('renew to the Permanent Observer of the State of Palestine the assurances');
    }
    for (const text of Object.values(notesTo('PSE', 'fr'))) {
      expect(text).toContain("présente ses compliments à l'Observateur permanent de l'État de Palestine auprès de l'Organisation des Nations Unies");
      expect(text).toContain("renouveler à l'Observateur permanent de l'État de Palestine les assurances");
    }
    const ar = notesTo('PSE', 'ar');
    for (const text of Object.values(ar)) {
      expect(text).toContain('يهدي الأمين العام للأمم المتحدة تحياته إلى المراقب الدائم لدولة فلسطين لدى الأمم المتحدة');
      expect(text).toContain('ليعرب مجددا للمراقب الدائم لدولة فلسطين عن أسمى آيات تقديره.');
    }
    expect(ar.attention).toContain('بالنظر إلى أن دولة المراقب الدائم من الدول المعنية مباشرة');
    expect(ar.attention).toContain('لو تفضل المراقب الدائم بالعمل');
    expect(ar.reminder).toContain('لو تفضل المراقب الدائم بالعمل');
  });

  it('gives observers their title in the case each sentence needs in Russian, Spanish and Chinese', () => {
    const ru = notesTo('VAT', 'ru');
    expect(ru.reminder).toContain('свидетельствует свое уважение Постоянному наблюдателю Святейшего Престола при Организации Объединенных Наций');
    expect(ru.reminder).toContain('возобновить Постоянному наблюдателю Святейшего Престола уверения');
    expect(ru.attention).toContain('Поскольку государство Постоянного наблюдателя является непосредственно заинтересованным');
    expect(ru.attention).toContain('был бы признателен Постоянному наблюдателю за содействие');
    expect(notesTo('PSE', 'es').reminder).toContain('saluda atentamente al Observador Permanente del Estado de Palestina ante las Naciones Unidas');
    expect(notesTo('PSE', 'es').attention).toContain('Dado que el Estado del Observador Permanente está directamente interesado');
    const zh = notesTo('VAT', 'zh');
    expect(zh.reminder).toContain('联合国秘书长向教廷常驻联合国观察员致意');
    expect(zh.reminder).toContain('秘书长谨请常驻观察员安排');
  });

  it('still addresses a Member State to its Permanent Representative', () => {
    for (const language of LANGUAGES) {
      for (const [kind, text] of Object.entries(notesTo('FRA', language))) {
        expect(`FRA ${kind} ${language}: ${text}`).toMatch(MEMBER_TITLE[language]);
        expect(`FRA ${kind} ${language}: ${text}`).not.toMatch(OBSERVER_TITLE[language]);
      }
    }
    const fr = notesTo('FRA', 'fr');
    expect(fr.circulation).toContain("présente ses compliments au Représentant permanent de la France auprès de l'Organisation des Nations Unies");
    expect(fr.attention).toContain("L'État du Représentant permanent étant directement concerné");
    expect(fr.reminder).toContain('Il saurait gré au Représentant permanent de bien vouloir');
  });

  it('refuses an unknown recipient status', () => {
    const bogus = { recipientStatus: 'candidate' } as unknown as Partial<NoteVars>;
    expect(() => renderNote(templates, resolution, { kind: 'reminder', language: 'en', vars: vars('en', bogus) })).toThrow(/recipientStatus: unknown value "candidate"/);
  });
});

describe('parseTemplates', () => {
  it('accepts a complete raw object and renders it', () => {
    const templates = parseTemplates(rawTemplates(), 'test-templates.yaml');
    const note = renderNote(templates, resolution, { kind: 'attention', language: 'ru', vars: vars('ru') });
    expect(note).toEqual({
      subject: `Re ${resolution.title.ru}`,
      text: 'LA/COD/79/124/LA-2026-017\nTo the member envoy Франции: body.\nRegards to the member envoy.',
      language: 'ru',
    });
  });

  it('refuses an unknown placeholder, naming kind, language, field and placeholder', () => {
    const raw = rawTemplates();
    raw.notes!.reminder!.fr = { subject: 'Rappel', body: '{symbol} {receivedOn} {nonsense}' };
    const error = refusal(raw);
    expect(error.message).toContain('test-templates.yaml');
    // receivedOn belongs to circulation notes only.
    expect(error.problems).toEqual([
      'kind "reminder", language "fr", field "body": unknown placeholder {receivedOn}',
      'kind "reminder", language "fr", field "body": unknown placeholder {nonsense}',
    ]);
  });

  it('fills the resolution\'s placeholders in notes, shared pieces and dictionaries', () => {
    const raw = rawTemplates();
    raw.notes!.reminder!.fr = { subject: 'Résolution {resolution} du {adoptedOn}', body: '{symbol}\n{compliments} {paragraph} ; {owed}.\n{close}' };
    raw.obligations!.fr!['host-report'] = 'le rapport du paragraphe {paragraph.violationReport}';
    raw.common!.fr!.close = 'Au sens du paragraphe {paragraph.reports}, {toEnvoy}.';
    const note = renderNote(parseTemplates(raw, 'test-templates.yaml'), resolution, { kind: 'reminder', language: 'fr', vars: vars('fr') });
    expect(note.subject).toBe('Résolution 79/124 du 4 décembre 2024');
    expect(note.text).toBe('LA/COD/79/124/LA-2026-017\nTo the member envoy de la France: 12 d) ; le rapport du paragraphe 11 a).\nAu sens du paragraphe 11, member toEnvoy.');
  });

  it('refuses a paragraph placeholder of an unknown duty, and note placeholders in dictionaries', () => {
    const raw = rawTemplates();
    raw.notes!.circulation!.en = { subject: 'Circulation', body: '{symbol} under paragraph {paragraph.circulations} and {para.circulation}' };
    raw.reportKinds!.es!.violation = 'un informe de {hostOf}, párrafo {paragraph.violationReport}';
    expect(refusal(raw).problems).toEqual([
      'dictionary "reportKinds", language "es", key "violation": unknown placeholder {hostOf}',
      'kind "circulation", language "en", field "body": unknown placeholder {paragraph.circulations}: "circulations" is not a duty of the resolution '
        + '(instruments, reports, violationReport, followUp, circular, circulation, attention, reminders, views, report, participation, observations)',
      'kind "circulation", language "en", field "body": unknown placeholder {para.circulation}: only {paragraph.<duty>} placeholders have a dot',
    ]);
  });

  it('refuses the title in common pieces, which now comes from the resolution file', () => {
    const raw = rawTemplates();
    raw.common!.zh!.resolutionTitle = '考虑有效措施';
    expect(refusal(raw).problems).toEqual([
      'common, language "zh": field "resolutionTitle" is no longer read; {resolutionTitle} is the title in the resolution file (title.zh): remove it here',
    ]);
  });

  it('refuses the bare-name placeholders replaced by the "of" forms', () => {
    const raw = rawTemplates();
    raw.common!.en!.close = 'Regards to the {envoy} {recipientName}.';
    raw.notes!.circulation!.fr = { subject: 'Rapport de {reporterName}', body: '{symbol} {hostName}' };
    expect(refusal(raw).problems).toEqual([
      'common, language "en", field "close": unknown placeholder {recipientName}',
      'kind "circulation", language "fr", field "subject": unknown placeholder {reporterName}',
      'kind "circulation", language "fr", field "body": unknown placeholder {hostName}',
    ]);
  });

  it('refuses a missing language', () => {
    const raw = rawTemplates();
    delete raw.notes!.attention!.zh;
    const error = refusal(raw);
    expect(error.problems).toEqual([
      'kind "attention", language "zh", field "subject": missing',
      'kind "attention", language "zh", field "body": missing',
    ]);
  });

  it('refuses templates without the campaign notes, one problem per kind', () => {
    const raw = rawTemplates();
    delete raw.notes!.circular;
    delete raw.notes!['views-reminder'];
    expect(refusal(raw).problems).toEqual(['notes, kind "circular": missing', 'notes, kind "views-reminder": missing']);
    const bad = rawTemplates();
    (bad.notes as Record<string, unknown>).circular = 'Note circulaire';
    expect(refusal(bad).problems).toEqual(['notes, kind "circular": must be a mapping of languages']);
  });

  it('allows {hostOf} in case notes only, and the campaign placeholders in their own kinds only', () => {
    const raw = rawTemplates();
    raw.notes!.circular!.en = { subject: 'Circular', body: '{symbol} {session} {deadline} {hostOf} {circularDate}' };
    raw.notes!['views-reminder']!.fr = { subject: 'Rappel du {circularDate}', body: '{symbol} {deadline} {session}' };
    raw.notes!.reminder!.es = { subject: 'Recordatorio', body: '{symbol} {hostOf} {deadline}' };
    raw.common!.ru!.close = 'Привет {toEnvoy} {hostOf}.';
    expect(refusal(raw).problems).toEqual([
      'common, language "ru", field "close": unknown placeholder {hostOf}',
      'kind "reminder", language "es", field "body": unknown placeholder {deadline}',
      'kind "circular", language "en", field "body": unknown placeholder {hostOf}',
      'kind "circular", language "en", field "body": unknown placeholder {circularDate}',
      'kind "views-reminder", language "fr", field "body": unknown placeholder {session}',
    ]);
  });

  it('refuses a missing dictionary key and reports every problem at once', () => {
    const raw = rawTemplates();
    delete raw.reportKinds!.es!.outcome;
    raw.obligations!.ar = { 'host-report': 'x' };
    raw.common!.en!.close = '';
    const error = refusal(raw);
    expect(error.problems).toEqual([
      'common, language "en", field "close": must be a non-empty string',
      'dictionary "reportKinds", language "es", key "outcome": missing',
      'dictionary "obligations", language "ar", key "follow-up": missing',
    ]);
    expect(error.message).toContain('dictionary "reportKinds", language "es", key "outcome": missing');
  });

  it('refuses stray braces, bad optional blocks and placeholders in shared pieces', () => {
    const raw = rawTemplates();
    raw.notes!.circulation!.en = { subject: 'Report {reporterOf', body: '{symbol}[[nothing: x]][[summary: {summary}' };
    raw.common!.fr!.close = '{toEnvoy} {compliments}';
    const error = refusal(raw);
    expect(error.problems).toEqual([
      'common, language "fr", field "close": unknown placeholder {compliments}',
      'kind "circulation", language "en", field "subject": stray "{" or "}" outside a placeholder',
      'kind "circulation", language "en", field "body": unknown placeholder {nothing} in optional block',
      'kind "circulation", language "en", field "body": unclosed optional block',
    ]);
  });

  it('refuses compliments or a close that do not name the addressee through a title placeholder of their language', () => {
    const raw = rawTemplates();
    raw.common!.zh!.compliments = '致{recipientOf}：';
    raw.common!.en!.compliments = 'To the {toEnvoy} {recipientOf}:';
    raw.common!.es!.close = 'Saludos.';
    expect(refusal(raw).problems).toEqual([
      'common, language "zh", field "compliments": does not name the addressee; write the title with one of {envoy}, {envoyToUN}',
      'common, language "en", field "compliments": unknown placeholder {toEnvoy}',
      'common, language "en", field "compliments": does not name the addressee; write the title with one of {envoy}',
      'common, language "es", field "close": does not name the addressee; write the title with one of {envoy}',
    ]);
  });

  it('refuses a missing, unknown or templated title in the envoys dictionary', () => {
    const raw = rawTemplates();
    delete (raw.envoys!.ru as Record<string, unknown>).observer;
    (raw.envoys!.en!.member as Record<string, string>).toEnvoy = 'to the Permanent Representative';
    (raw.envoys!.fr!.observer as Record<string, string>).toEnvoy = "à l'{envoy}";
    raw.envoys!.es!.candidate = { envoy: 'Candidato' };
    expect(refusal(raw).problems).toEqual([
      'dictionary "envoys", language "en", status "member": unknown form "toEnvoy"',
      'dictionary "envoys", language "fr", status "observer", form "toEnvoy": unknown placeholder {envoy}',
      'dictionary "envoys", language "ru", status "observer", form "envoy": missing',
      'dictionary "envoys", language "ru", status "observer", form "toEnvoy": missing',
      'dictionary "envoys", language "ru", status "observer", form "ofEnvoy": missing',
      'dictionary "envoys", language "es": unknown status "candidate"',
    ]);
    const missing = rawTemplates();
    delete missing.envoys;
    expect(refusal(missing).problems).toContain('section "envoys": missing');
    expect(refusal(missing).problems).toContain('dictionary "envoys", language "zh", status "observer", form "envoyToUN": missing');
  });

  it('refuses shipped templates in which a title is written out instead of its placeholder', () => {
    const file = path.join(__dirname, '../../config/templates.yaml');
    const raw = parse(readFileSync(file, 'utf8')) as {
      common: Record<string, Record<string, string>>;
      notes: Record<string, Record<string, Record<string, string>>>;
    };
    expect(() => parseTemplates(raw, file)).not.toThrow();
    raw.common.en!.close = raw.common.en!.close!.replace('{envoy}', 'Permanent Representative');
    raw.notes.attention!.fr!.body = raw.notes.attention!.fr!.body!.replace('{ofEnvoy}', 'du Représentant permanent');
    raw.notes.reminder!.ru!.body = raw.notes.reminder!.ru!.body!.replace('{toEnvoy}', 'Постоянному представителю');
    raw.notes.reminder!.zh!.body = raw.notes.reminder!.zh!.body!.replace('{envoy}', '常驻代表');
    expect(refusal(raw).problems).toEqual([
      'common, language "en", field "close": does not name the addressee; write the title with one of {envoy}',
      'common, language "en", field "close": writes the addressee\'s title "Permanent Representative" itself; use {envoy}, which follows the recipient\'s status',
      'kind "attention", language "fr", field "body": writes the addressee\'s title "du Représentant permanent" itself; use {ofEnvoy}, which follows the recipient\'s status',
      'kind "reminder", language "zh", field "body": writes the addressee\'s title "常驻代表" itself; use {envoy}, which follows the recipient\'s status',
      'kind "reminder", language "ru", field "body": writes the addressee\'s title "Постоянному представителю" itself; use {toEnvoy}, which follows the recipient\'s status',
    ]);
  });

  it('refuses something that is not a mapping', () => {
    expect(refusal('just text').message).toMatch(/^test-templates\.yaml: /);
  });
});
