import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { renderNote, type NoteVars } from '../../activities/render-note';
import { DEFAULT_DIRECTORY_PATH, loadDirectory } from '../../config/directory';
import {
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
    ...overrides,
  };
}

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
      const note = renderNote(templates, { kind, language, vars: vars(language) });
      expect(note.language).toBe(language);
      for (const part of [note.subject, note.text]) {
        expect(part).not.toMatch(/[{}]|\[\[|\]\]|undefined/);
      }
      expect(note.text.startsWith('LA/COD/79/124/LA-2026-017\n\n')).toBe(true);
      expect(note.text).toContain(note.subject);
      expect(note.text).toContain(RECIPIENT[language]);
      if (kind !== 'circulation') expect(note.text).toContain(HOST[language]);
      if (kind === 'circulation') expect(note.text).toContain(REPORTER[language]);
      expect(note.text).toContain(templates.common[language].resolutionTitle);
      expect(note.subject).toContain('79/124');
    },
  );

  it('uses the French formula of compliments and the recipient name passed', () => {
    const note = renderNote(templates, { kind: 'reminder', language: 'fr', vars: vars('fr') });
    expect(note.text).toContain(
      "Le Secrétaire général de l'Organisation des Nations Unies présente ses compliments au Représentant permanent de la France auprès de l'Organisation des Nations Unies et a l'honneur de",
    );
    expect(note.text).toContain('les assurances de sa très haute considération.');
    expect(note.text).toContain('le rapport demandé au paragraphe 11 a)');
  });

  it('formats dates in the language of the note, without shifting the calendar date', () => {
    const far = { zone: 'Pacific/Kiritimati', dueOn: '2026-05-15' };
    const text = (language: Language) => renderNote(templates, { kind: 'reminder', language, vars: vars(language, far) }).text;
    expect(text('fr')).toContain('depuis le 15 mai 2026');
    expect(text('es')).toContain('15 de mayo de 2026');
    expect(text('ru')).toContain('15 мая 2026 г.');
    expect(text('zh')).toContain('2026年5月15日');
    expect(text('en')).toContain('has been awaited since 15 May 2026');
  });

  it('fills the paragraph of the note kind and the translated dictionary entries', () => {
    const en = renderNote(templates, { kind: 'circulation', language: 'en', vars: vars('en', { reportKind: 'outcome' }) });
    expect(en.text).toContain('in paragraph 12 (b) of which');
    expect(en.text).toContain('a report on the final outcome of the proceedings against the offender');
    const es = renderNote(templates, { kind: 'reminder', language: 'es', vars: vars('es', { owed: 'follow-up' }) });
    expect(es.text).toContain('el informe de seguimiento solicitado en el párrafo 11 b)');
    expect(es.subject).toContain('recordatorio núm. 2');
  });

  it('includes the summary sentence only when there is a summary', () => {
    const withSummary = renderNote(templates, { kind: 'circulation', language: 'en', vars: vars('en') });
    expect(withSummary.text).toContain('The report may be summarized as follows: Unknown persons forced entry into the chancery.');

    for (const summary of ['', '   ', undefined]) {
      const without = renderNote(templates, { kind: 'circulation', language: 'en', vars: vars('en', { summary }) });
      expect(without.text).not.toContain('summarized');
      expect(without.text).not.toMatch(/\n{3}/);
      expect(without.text).toMatch(/\(reference LA-2026-017\)\.\n\nThe Secretary-General avails himself/);
    }
  });

  it('throws naming a placeholder whose value is missing', () => {
    expect(() => renderNote(templates, { kind: 'reminder', language: 'fr', vars: vars('fr', { dueOn: undefined }) })).toThrow(/\{dueOn\}/);
    expect(() => renderNote(templates, { kind: 'circulation', language: 'ar', vars: vars('ar', { reporterOf: '' }) })).toThrow(
      /\{reporterOf\}/,
    );
  });

  it('refuses impossible dates, unknown dictionary keys and unknown zones', () => {
    expect(() => renderNote(templates, { kind: 'attention', language: 'en', vars: vars('en', { occurredOn: '2026-04-31' }) })).toThrow(
      /occurredOn/,
    );
    const bogus = { owed: 'other-report' } as unknown as Partial<NoteVars>;
    expect(() => renderNote(templates, { kind: 'reminder', language: 'en', vars: vars('en', bogus) })).toThrow(/owed/);
    expect(() => renderNote(templates, { kind: 'reminder', language: 'en', vars: vars('en', { zone: 'Mars/Olympus' }) })).toThrow(/zone/);
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
      renderNote(templates, { kind, language, vars: vars(language, { recipientOf: of, hostOf: of, reporterOf: of }) }),
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
      return renderNote(templates, { kind, language, vars: v }).text;
    });
    expect(NOTE_KINDS).toEqual(['circulation', 'attention', 'reminder']);
    expect(circulation).toContain("reçu du Gouvernement des États-Unis d'Amérique le");
    expect(circulation).toContain('sur le territoire du Mexique (référence');
    expect(attention).toContain('survenue sur le territoire du Mexique le');
    expect(reminder).toContain('concernant la violation survenue sur le territoire du Mexique (référence');

    const es = renderNote(templates, { kind: 'circulation', language: 'es', vars: vars('es', {
      hostOf: directory.require('GBR').namesOf.es, reporterOf: directory.require('PER').namesOf.es,
    }) }).text;
    expect(es).toContain('recibido del Gobierno del Perú el');
    expect(es).toContain('ocurridos en el territorio del Reino Unido de Gran Bretaña e Irlanda del Norte (referencia');

    const en = renderNote(templates, { kind: 'attention', language: 'en', vars: vars('en', { hostOf: directory.require('NLD').namesOf.en }) }).text;
    expect(en).toContain('which took place in the territory of the Netherlands (Kingdom of the) on 10 May 2026');

    const ar = renderNote(templates, { kind: 'reminder', language: 'ar', vars: vars('ar', {
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
      NLD: 'Нидерландов (Королевства)',
      MEX: 'Мексики',
      ITA: 'Италии',
      CHN: 'Китая',
      IRN: 'Ирана (Исламской Республики)',
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
    const attention = renderNote(templates, { kind: 'attention', language: 'ru', vars: vars('ru', { hostOf: directory.require('USA').namesOf.ru }) });
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
    return Object.fromEntries(NOTE_KINDS.map((kind) => [kind, renderNote(templates, { kind, language, vars: v }).text])) as Record<NoteKind, string>;
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
    expect(() => renderNote(templates, { kind: 'reminder', language: 'en', vars: vars('en', bogus) })).toThrow(/recipientStatus: unknown value "candidate"/);
  });
});

describe('parseTemplates', () => {
  it('accepts a complete raw object and renders it', () => {
    const templates = parseTemplates(rawTemplates(), 'test-templates.yaml');
    const note = renderNote(templates, { kind: 'attention', language: 'ru', vars: vars('ru') });
    expect(note).toEqual({
      subject: 'Re resolutionTitle text',
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
