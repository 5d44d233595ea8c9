/** The requesting resolution as configuration: every note cites it, so the next resolution is a change to one file. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { parse, stringify } from 'yaml';
import { createNoteActivities } from '../../activities/notes';
import { type NoteVars, renderNote } from '../../activities/render-note';
import { DEFAULT_RESOLUTION_PATH, loadResolution, noteSymbol, paragraphIn, type Resolution, ResolutionError, resolutionNotice } from '../../config/resolution';
import { loadTemplates } from '../../config/templates';
import { nextScheduledCampaign } from '../../domain/campaign';
import { LANGUAGES, type Language } from '../../domain/languages';
import { messageIdFor, NOTE_KINDS, type NoteKind, type NoteRequest } from '../../domain/notes';
import { productData } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';

const OTHER_PATH = path.join(__dirname, '..', 'fixtures', 'resolution-67-94.yaml');
const other = loadResolution(OTHER_PATH);
const templates = loadTemplates();
const { directory } = productData();

function vars(language: Language, kind: NoteKind): NoteVars {
  const of = (code: string) => directory.require(code).namesOf[language];
  const campaign = kind === 'circular' || kind === 'views-reminder';
  return {
    symbol: campaign ? 'LA/COD/CIRC/69' : 'LA/COD/2014/LA-2014-003',
    reference: campaign ? 'LA/COD/CIRC/69' : 'LA-2014-003',
    recipientOf: of('FRA'),
    recipientStatus: 'member',
    ...(campaign ? {} : { hostOf: of('MEX'), reporterOf: of('ARG') }),
    date: '2014-03-03',
    zone: 'America/New_York',
    reportKind: 'measures',
    receivedOn: '2014-02-20',
    occurredOn: '2014-02-01',
    owed: 'host-report',
    dueOn: '2014-02-28',
    reminderNumber: 1,
    session: 81,
    deadline: '2014-05-15',
    circularDate: '2013-01-15',
  };
}

const render = (resolution: Resolution, kind: NoteKind, language: Language) => renderNote(templates, resolution, { kind, language, vars: vars(language, kind) });
const everyNote = NOTE_KINDS.flatMap((kind) => LANGUAGES.map((language) => [kind, language] as [NoteKind, Language]));

/** Paragraph references as each language's notes write them after its word for "paragraph". */
const PARAGRAPH_REFERENCE: Partial<Record<Language, RegExp>> = {
  en: /paragraph (\d+(?: \([a-z]\))?)/g,
  fr: /paragraphe (\d+(?: [a-z]\))?)/g,
  es: /párrafo (\d+(?: [a-z]\))?)/g,
  zh: /第(\d+(?:\([a-z]\))?)段/g,
  ar: /الفقرة (\d+(?: \([أبجد]\))?)/g,
};

describe('notes rendered from another resolution (67/94 of 2012)', () => {
  it.each(everyNote)('cite only its symbol, date and paragraphs: %s in %s', (kind, language) => {
    const note = render(other, kind, language);
    for (const part of [note.subject, note.text]) expect(part).not.toMatch(/[{}]|undefined|79\/124|2024/);
    expect(note.subject).toContain('67/94');
    expect(note.text).toContain(other.title[language]);
    const cited = Object.values(other.paragraphs).map((p) => paragraphIn(p, language));
    const pattern = PARAGRAPH_REFERENCE[language];
    const found = pattern ? [...note.text.matchAll(pattern)].map((m) => m[1]) : [];
    if (pattern) expect(found.length).toBeGreaterThan(0);
    for (const reference of found) expect(cited).toContain(reference);
  });

  it('writes the date of adoption in words in each language', () => {
    const circulation = (language: Language) => render(other, 'circulation', language).text;
    expect(circulation('en')).toContain('General Assembly resolution 67/94 of 14 December 2012, entitled');
    expect(circulation('fr')).toContain("la résolution 67/94 de l'Assemblée générale, en date du 14 décembre 2012, intitulée");
    expect(circulation('es')).toContain('la resolución 67/94 de la Asamblea General, de 14 de diciembre de 2012, titulada');
    expect(circulation('ru')).toContain('на резолюцию 67/94 Генеральной Ассамблеи от 14 декабря 2012 года');
    expect(circulation('zh')).toContain('大会2012年12月14日题为');
    expect(circulation('zh')).toContain('的第67/94号决议');
    expect(circulation('ar')).toContain('قرار الجمعية العامة 67/94 المؤرخ 14 كانون الأول/ديسمبر 2012');
  });

  it('writes each duty under its own paragraph, in each language\'s style', () => {
    const en = render(other, 'circulation', 'en').text;
    expect(en).toContain('in paragraph 11 (b) of which the Assembly requested the Secretary-General to circulate');
    expect(en).toContain('pursuant to paragraph 10 of that resolution');
    expect(en).toContain('a report on measures taken to bring the offender to justice, submitted pursuant to paragraph 10 (b) of the resolution');
    expect(render(other, 'circulation', 'fr').text).toContain('au paragraphe 11 b) de laquelle');
    expect(render(other, 'circulation', 'es').text).toContain('en cuyo párrafo 11 b) la Asamblea');
    expect(render(other, 'circulation', 'ru').text).toContain('в пункте 11(b) которой');
    expect(render(other, 'circulation', 'zh').text).toContain('大会在该决议第11(b)段中');
    expect(render(other, 'circulation', 'ar').text).toContain('في الفقرة 11 (ب) منه');
    expect(render(other, 'reminder', 'fr').text).toContain('le rapport demandé au paragraphe 10 a) de la résolution');
    expect(render(other, 'reminder', 'ar').text).toContain('في الفقرة 11 (د) منه');
    expect(render(other, 'attention', 'zh').text).toContain('第11(c)段');
    const circular = render(other, 'circular', 'en');
    expect(circular.subject).toContain('reports under paragraph 10 and views under paragraph 12 of the resolution');
    expect(circular.text).toContain('in paragraph 11 (a) of which the Assembly requested the Secretary-General to send');
    expect(circular.text).toContain('pursuant to paragraph 13 of the resolution');
    expect(render(other, 'views-reminder', 'en').text).toContain('pursuant to paragraph 11 (a) of General Assembly resolution 67/94 of 14 December 2012');
  });

  it('takes the title from the resolution', () => {
    const retitled: Resolution = { ...other, title: { ...other.title, fr: 'Titre de la résolution' } };
    const note = render(retitled, 'attention', 'fr');
    expect(note.subject).toBe("Résolution 67/94 de l'Assemblée générale, intitulée « Titre de la résolution » : procédures de présentation de rapports à la suite du signalement d'une violation grave");
  });

  it('renders the shipped resolution as before: 79/124 of 4 December 2024', () => {
    const shipped = loadResolution();
    expect(render(shipped, 'circulation', 'en').text).toContain('General Assembly resolution 79/124 of 4 December 2024, entitled');
    expect(render(shipped, 'circulation', 'en').text).toContain('in paragraph 12 (b) of which');
    expect(render(shipped, 'reminder', 'zh').text).toContain('大会在该决议第12(d)段中');
  });
});

describe('the shipped templates', () => {
  it('write no resolution symbol, date or paragraph number of their own', () => {
    const strings: string[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === 'string') strings.push(value);
      else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    walk(templates);
    expect(strings.length).toBeGreaterThan(100);
    // The guidelines' document symbol is the one number the notes write.
    for (const text of strings) expect(text.replaceAll('A/42/485', '')).not.toMatch(/\d/);
  });
});

describe('a resolution file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'resolution-'));
  const shippedRaw = () => parse(readFileSync(DEFAULT_RESOLUTION_PATH, 'utf8')) as Record<string, Record<string, unknown>>;
  const refusal = (change: (raw: Record<string, Record<string, unknown>>) => void): ResolutionError => {
    const raw = shippedRaw();
    change(raw);
    const file = path.join(dir, `r${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, stringify(raw));
    try {
      loadResolution(file);
    } catch (err) {
      if (err instanceof ResolutionError) {
        expect(err.message).toContain(file);
        return err;
      }
      throw err;
    }
    throw new Error('the resolution file was accepted');
  };

  it('is the shipped 79/124 by default', () => {
    const shipped = loadResolution();
    expect(shipped.symbol).toBe('79/124');
    expect(shipped.adoptedOn).toBe('2024-12-04');
    expect(shipped.reportSession).toBe(81);
    expect(shipped.paragraphs.circulation).toBe('12 (b)');
  });

  it('refuses a bad symbol, naming the field', () => {
    expect(refusal((raw) => { raw.symbol = 'A/RES/79/124' as never; }).message).toMatch(/symbol must be a resolution symbol such as 79\/124/);
  });

  it('refuses an unknown duty and a missing one, naming each', () => {
    const error = refusal((raw) => {
      raw.paragraphs!.circulations = '12 (b)';
      delete raw.paragraphs!.views;
    });
    expect(error.message).toContain('paragraphs.circulations');
    expect(error.message).toContain('paragraphs.views');
  });

  it('refuses a paragraph not written as in English', () => {
    expect(refusal((raw) => { raw.paragraphs!.attention = '12(c)'; }).message).toMatch(/paragraphs\.attention must be a paragraph such as 13 or 12 \(b\)/);
  });

  it('refuses an unknown placeholder in a symbol pattern, and a session where the note has none', () => {
    expect(refusal((raw) => { raw.noteSymbols!.reminder = 'LA/COD/{month}/{reference}'; }).message).toMatch(
      /noteSymbols\.reminder may use only the placeholders \{reference\}, \{session\}, \{year\}/,
    );
    expect(refusal((raw) => { raw.noteSymbols!['views-reminder'] = 'LA/COD/CIRC/{session}/R'; }).message).toMatch(
      /noteSymbols\.views-reminder may not use \{session\}: a views-reminder note states no session/,
    );
  });

  it('refuses a missing file, naming it', () => {
    expect(() => loadResolution(path.join(dir, 'absent.yaml'))).toThrow(ResolutionError);
    expect(() => loadResolution(path.join(dir, 'absent.yaml'))).toThrow(/absent\.yaml/);
  });
});

describe('paragraphIn', () => {
  it('writes a lettered paragraph in each language\'s style, and a bare one as it is', () => {
    expect(LANGUAGES.map((language) => paragraphIn('12 (b)', language))).toEqual(['12 (ب)', '12(b)', '12 (b)', '12 b)', '12(b)', '12 b)']);
    expect(LANGUAGES.map((language) => paragraphIn('13', language))).toEqual(Array(6).fill('13'));
    expect(paragraphIn('10 (a)', 'ar')).toBe('10 (أ)');
    expect(() => paragraphIn('12b', 'en')).toThrow(ResolutionError);
  });
});

describe('note symbols', () => {
  it('expand the kind\'s pattern', () => {
    expect(noteSymbol(other, 'circulation', { reference: 'LA-2014-003', year: '2014' })).toBe('LA/COD/2014/LA-2014-003');
    expect(noteSymbol(other, 'circular', { reference: 'LA/COD/CIRC/69', session: 69, year: '2013' })).toBe('LA/COD/CIRC/69');
    expect(noteSymbol(loadResolution(), 'reminder', { reference: 'LA/2026/1', year: '2027' })).toBe('LA/2026/1');
    expect(() => noteSymbol(other, 'circular', { reference: 'LA/COD/CIRC/69', year: '2013' })).toThrow(/noteSymbols\.circular .*no \{session\}/);
  });

  it('head the notes the activities send', async () => {
    const mailer = new RecordingMailer();
    const activities = createNoteActivities({ directory, templates, resolution: other, mailer, from: 'Codification Division <codification@un.example.org>', zone: 'America/New_York' });
    const env = new MockActivityEnvironment();
    const to = { code: 'GBR', language: directory.require('GBR').language };
    const reminder: NoteRequest = {
      messageId: messageIdFor('LA/2013/7.reminder.1', 'GBR'), kind: 'reminder', to, date: '2014-01-02',
      facts: { reference: 'LA/2013/7', hostState: 'GBR', owed: 'follow-up', dueOn: '2013-12-31', reminderNumber: 1 },
    };
    const circular: NoteRequest = {
      messageId: messageIdFor('LA/COD/CIRC/83.circular', 'GBR'), kind: 'circular', to, date: '2027-01-15',
      facts: { reference: 'LA/COD/CIRC/83', session: 83, deadline: '2028-05-15' },
    };
    await env.run(activities.sendNote, reminder);
    await env.run(activities.sendNote, circular);
    const [first, second] = mailer.sent;
    // The year is the note's own (2 January 2014), not the case's (2013).
    expect(first?.text.startsWith('LA/COD/2014/LA/2013/7/R\n\n')).toBe(true);
    expect(first?.text).toContain('(reference LA/2013/7)');
    expect(first?.text).toContain('the follow-up report called for in paragraph 10 (b) of the resolution');
    expect(second?.text.startsWith('LA/COD/CIRC/83\n\n')).toBe(true);
    expect(second?.subject).toContain('General Assembly resolution 67/94');
  });
});

describe('the resolution at worker start', () => {
  const shipped = loadResolution();
  const odd = { schedule: { month: 1, day: 15, hour: 10 }, sessions: 'odd' as const };
  const zone = 'America/New_York';

  it('finds the next campaign the Schedule starts, in odd sessions when so configured', () => {
    expect(nextScheduledCampaign(new Date('2026-12-03T12:00:00Z'), odd, zone)).toEqual({ session: 83, startsOn: '2027-01-15' });
    expect(nextScheduledCampaign(new Date('2025-01-10T12:00:00Z'), odd, zone)).toEqual({ session: 81, startsOn: '2025-01-15' });
    // This year's start has passed and next year's session is even: the one after.
    expect(nextScheduledCampaign(new Date('2025-02-01T12:00:00Z'), odd, zone)).toEqual({ session: 83, startsOn: '2027-01-15' });
    expect(nextScheduledCampaign(new Date('2025-02-01T12:00:00Z'), { ...odd, sessions: 'every' }, zone)).toEqual({ session: 82, startsOn: '2026-01-15' });
  });

  it('warns when the next campaign is for a session after the one the resolution requests its report at', () => {
    const notice = resolutionNotice(shipped, DEFAULT_RESOLUTION_PATH, odd, zone, new Date('2026-12-03T12:00:00Z'));
    expect(notice.line).toBe('79/124 of 4 December 2024 (config/resolution.yaml): its report at the eighty-first session');
    expect(notice.warning).toBe(
      'resolution 79/124 requests its report at the eighty-first session; the campaign for the 83rd session (starting 2027-01-15) needs the next resolution in config/resolution.yaml',
    );
  });

  it('says nothing more while the next campaign prepares the resolution\'s own report', () => {
    expect(resolutionNotice(shipped, DEFAULT_RESOLUTION_PATH, odd, zone, new Date('2025-01-10T12:00:00Z')).warning).toBeUndefined();
    const next: Resolution = { ...shipped, symbol: '81/200', reportSession: 83 };
    expect(resolutionNotice(next, '/etc/obligations/resolution.yaml', odd, zone, new Date('2026-12-03T12:00:00Z'))).toEqual({
      line: '81/200 of 4 December 2024 (/etc/obligations/resolution.yaml): its report at the eighty-third session',
    });
  });
});
