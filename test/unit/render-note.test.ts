import { renderNote, type NoteVars } from '../../activities/render-note';
import {
  COMMON_PIECES,
  OBLIGATIONS,
  REPORT_KINDS,
  TemplateError,
  loadTemplates,
  parseTemplates,
  type Templates,
} from '../../config/templates';
import { LANGUAGES, type Language } from '../../domain/languages';
import { NOTE_KINDS, type NoteKind } from '../../domain/notes';

const RECIPIENT: Record<Language, string> = {
  ar: 'فرنسا',
  zh: '法国',
  en: 'France',
  fr: 'la France',
  ru: 'Франции',
  es: 'Francia',
};

function vars(language: Language, overrides: Partial<NoteVars> = {}): NoteVars {
  return {
    symbol: 'LA/COD/79/124/LA-2026-017',
    reference: 'LA-2026-017',
    recipientName: RECIPIENT[language],
    hostName: 'Ruritania',
    date: '2026-06-02',
    zone: 'America/New_York',
    reporterName: 'Freedonia',
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
    common: perLanguage(() => ({ ...keys(COMMON_PIECES), compliments: 'To {recipientName}:' })),
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
    expect(text('en')).toContain('May 15, 2026');
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
    expect(() => renderNote(templates, { kind: 'circulation', language: 'ar', vars: vars('ar', { reporterName: '' }) })).toThrow(
      /\{reporterName\}/,
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

describe('parseTemplates', () => {
  it('accepts a complete raw object and renders it', () => {
    const templates = parseTemplates(rawTemplates(), 'test-templates.yaml');
    const note = renderNote(templates, { kind: 'attention', language: 'ru', vars: vars('ru') });
    expect(note).toEqual({
      subject: 'Re resolutionTitle text',
      text: 'LA/COD/79/124/LA-2026-017\nTo Франции: body.\nclose text',
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
    raw.notes!.circulation!.en = { subject: 'Report {reporterName', body: '{symbol}[[nothing: x]][[summary: {summary}' };
    raw.common!.fr!.close = '{compliments}';
    const error = refusal(raw);
    expect(error.problems).toEqual([
      'common, language "fr", field "close": unknown placeholder {compliments}',
      'kind "circulation", language "en", field "subject": stray "{" or "}" outside a placeholder',
      'kind "circulation", language "en", field "body": unknown placeholder {nothing} in optional block',
      'kind "circulation", language "en", field "body": unclosed optional block',
    ]);
  });

  it('refuses something that is not a mapping', () => {
    expect(refusal('just text').message).toMatch(/^test-templates\.yaml: /);
  });
});
