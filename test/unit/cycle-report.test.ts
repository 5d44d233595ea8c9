import { inflateRawSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mammoth from 'mammoth';
import { renderReportDocx, REPORT_STYLES } from '../../clients/report/docx';
import { readObservations, reportNamer, summarizeInstruments } from '../../clients/report/draft';
import { renderReportMarkdown } from '../../clients/report/markdown';
import { ANNEX_TITLE, buildAddendumOutline, buildReportOutline, formatUnDate } from '../../clients/report/outline';
import { InputError } from '../../clients/errors';
import { DEFAULT_DIRECTORY_PATH, loadDirectory } from '../../config/directory';
import { DEFAULT_INSTRUMENTS_PATH, loadInstruments } from '../../config/instruments';
import { loadResolution } from '../../config/resolution';
import { type CycleReportData, type CycleReportItem, type CycleViewItem } from '../../domain/cycle-report';
import { isBinding } from '../../domain/instruments';
import { sessionOrdinal as ordinalIn } from '../../domain/un-style';

const sessionOrdinal = (session: number) => ordinalIn(session, 'en');
const directory = loadDirectory(DEFAULT_DIRECTORY_PATH);
const shippedInstruments = loadInstruments(DEFAULT_INSTRUMENTS_PATH, directory);
const named = reportNamer(directory, shippedInstruments.otherParticipants ?? []);
const resolution = loadResolution();
const RESOLUTION: CycleReportData['resolution'] = {
  symbol: resolution.symbol, adoptedOn: resolution.adoptedOn, reportSession: resolution.reportSession, title: resolution.title.en, paragraphs: resolution.paragraphs,
};

const SECRET = 'The residence of the Ambassador was searched by unidentified persons.';

function report(state: string, host: string, fields: Pick<CycleReportItem, 'caseReference' | 'occurredOn' | 'receivedOn' | 'kind' | 'summary' | 'late'> & { circulate?: boolean }): CycleReportItem {
  return { ...named(state), hostState: host, hostInText: named(host).stateInText, circulate: true, ...fields };
}

// Deliberately out of order: the report sorts by State (list form), then by date of receipt.
const REPORTS: CycleReportItem[] = [
  report('SDN', 'SDN', {
    caseReference: 'OLA/2025/004', occurredOn: '2025-10-28', receivedOn: '2026-06-20', kind: 'outcome', late: true,
    summary: 'The Criminal Court of Khartoum sentenced two persons to three years of imprisonment.',
  }),
  report('SDN', 'SDN', {
    caseReference: 'OLA/2025/004', occurredOn: '2025-10-28', receivedOn: '2026-02-10', kind: 'measures', late: false,
    summary: 'Two persons were charged with the attack.',
  }),
  report('NLD', 'VEN', {
    caseReference: 'OLA/2026/001', occurredOn: '2026-02-20', receivedOn: '2026-03-01', kind: 'violation', late: false, circulate: false, summary: SECRET,
  }),
  report('IRN', 'SDN', {
    caseReference: 'OLA/2025/004', occurredOn: '2025-10-28', receivedOn: '2025-11-03', kind: 'violation', late: false,
    summary: 'On 28 October 2025, demonstrators forced the gate of the Embassy in Khartoum\nand damaged its archives',
  }),
  report('JPN', 'JPN', {
    caseReference: 'OLA/2025/001', occurredOn: '2025-01-30', receivedOn: '2025-02-10', kind: 'measures', late: false,
    summary: 'Mexico-based investigators assisted the police of Tokyo.',
  }),
  report('BOL', 'FSM', {
    caseReference: 'OLA/2026/007', occurredOn: '2026-05-30', receivedOn: '2026-06-01', kind: 'violation', late: true,
    summary: 'On 30 May 2026, shots were fired at the Embassy of the Plurinational State of Bolivia in Palikir.',
  }),
];

const VIEWS: CycleViewItem[] = [
  { ...named('VEN'), receivedOn: '2026-05-20', late: true, summary: 'A register of protective measures would help.' },
  { ...named('ITA'), receivedOn: '2026-04-01', late: false, summary: 'Italy trains police units assigned to embassies.' },
  { ...named('BHS'), receivedOn: '2026-03-15', late: false, summary: 'The training of guards is essential.' },
];

const SINCE = '2017-01-01';
const DATA: CycleReportData = {
  session: 81,
  resolution: RESOLUTION,
  issuedOn: '2026-07-24',
  circularOn: '2025-01-15',
  period: { from: '2024-12-05', to: '2026-09-30' },
  deadline: '2026-05-15',
  reports: REPORTS,
  views: VIEWS,
  instruments: summarizeInstruments(shippedInstruments, SINCE, named),
};
const OBSERVATIONS = ['The Secretary-General condemns every attack on diplomatic and consular missions.', 'He calls upon all States to report such violations.'];

// Written independently of the renderer's own formatter.
const unDate = (iso: string): string => new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
const WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const words = (n: number): string => WORDS[n] ?? String(n);
const DEADLINE = unDate(DATA.deadline);
const ON_TIME = REPORTS.filter((r) => !r.late);
const LATE = REPORTS.filter((r) => r.late);
const VIEWS_ON_TIME = VIEWS.filter((v) => !v.late);
const VIEWS_LATE = VIEWS.filter((v) => v.late);
const SECTIONS = ['I. Introduction', 'II. Reports received from States', 'III. Views received from States', 'IV. State of participation in the instruments'];
const OBSERVATIONS_SECTION = 'V. Observations of the Secretary-General';

/** The text from one heading to the next of the given ones (or to the end). */
function between(text: string, from: string, to?: string): string {
  const start = text.indexOf(from);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = to === undefined ? text.length : text.indexOf(to, start + from.length);
  expect(end).toBeGreaterThan(start);
  return text.slice(start, end);
}

/** The numbered paragraphs of a Markdown text: number and text. */
const numbered = (md: string): { n: number; text: string }[] =>
  md.split('\n').map((line) => /^(\d+)\. (.*)$/.exec(line)).filter((m) => m !== null).map((m) => ({ n: Number(m[1]), text: m[2] ?? '' }));
const headings = (md: string): string[] => md.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
const body = (text: string): string => text.slice(0, text.indexOf(ANNEX_TITLE) >= 0 ? text.indexOf(ANNEX_TITLE) : text.length);

/** One file of the .docx (a zip): mammoth reads no headers, styles or numbering. */
function zipEntry(zip: Buffer, name: string): string {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd -= 1;
  expect(eocd).toBeGreaterThanOrEqual(0);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i += 1) {
    const nameLength = zip.readUInt16LE(at + 28);
    const entry = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (entry === name) {
      const method = zip.readUInt16LE(at + 10);
      const size = zip.readUInt32LE(at + 20);
      const local = zip.readUInt32LE(at + 42);
      const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const raw = zip.subarray(data, data + size);
      return (method === 8 ? inflateRawSync(raw) : raw).toString('utf8');
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  throw new Error(`${name} is not in the document`);
}

const decode = (html: string): string =>
  html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const tagsOf = (html: string, tag: string): string[] =>
  [...html.matchAll(new RegExp(`<${tag}>(.*?)</${tag}>`, 'gs'))].map((m) => decode(m[1] ?? ''));
/** The paragraphs (w:p) of a WordprocessingML part, each with its style and its text. */
const wordParagraphs = (xml: string): { style?: string; numbered: boolean; text: string }[] =>
  [...xml.matchAll(/<w:p>(.*?)<\/w:p>|<w:p [^>]*>(.*?)<\/w:p>/gs)].map((m) => {
    const inner = m[1] ?? m[2] ?? '';
    return {
      style: /<w:pStyle w:val="([^"]+)"\/>/.exec(inner)?.[1],
      numbered: inner.includes('<w:numPr>'),
      text: [...inner.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
    };
  });

describe('outline helpers', () => {
  it('writes dates in United Nations style and refuses impossible ones', () => {
    expect(formatUnDate('2026-05-15')).toBe('15 May 2026');
    expect(formatUnDate('2024-12-04')).toBe('4 December 2024');
    expect(() => formatUnDate('2026-04-31')).toThrow(/not a calendar date/);
    expect(() => formatUnDate('15/05/2026')).toThrow(/not a calendar date/);
  });

  it('names sessions as the Assembly does', () => {
    expect(sessionOrdinal(81)).toBe('eighty-first');
    expect(sessionOrdinal(80)).toBe('eightieth');
    expect(() => sessionOrdinal(12)).toThrow(/12 is not a session from 80 to 120/);
  });
});

describe('the draft report in Markdown', () => {
  const md = renderReportMarkdown(DATA);
  const paragraphs = numbered(md);
  const section = (i: number) => between(md, SECTIONS[i] ?? '', SECTIONS[i + 1] ?? ANNEX_TITLE);

  it('opens with the masthead, the title from the resolution and the summary box', () => {
    const front = md.slice(0, md.indexOf('## '));
    for (const line of ['United Nations', 'A/81/…', 'General Assembly', 'Distr.: General', unDate(DATA.issuedOn), 'Original: English',
      'Eighty-first session', 'Item … of the provisional agenda', `# ${resolution.title.en}\n`, 'Report of the Secretary-General', '> **Summary**']) {
      expect(front).toContain(line);
    }
    expect(front.indexOf('United Nations')).toBeLessThan(front.indexOf('# '));
    expect(front.indexOf('# ')).toBeLessThan(front.indexOf('> **Summary**'));
    expect(front).not.toContain('Addendum');
  });

  it('gives the counts of the items received by the deadline in the summary', () => {
    const summary = md.slice(md.indexOf('> **Summary**'), md.indexOf('## '));
    const states = new Set(ON_TIME.map((r) => r.state)).size;
    expect(summary).toContain(
      `By ${DEADLINE}, the Secretary-General had received ${words(ON_TIME.length)} reports from ${words(states)} States pursuant to paragraph 11 ` +
        `of the resolution, and the views of ${words(VIEWS_ON_TIME.length)} States pursuant to paragraph 13.`,
    );
    expect(summary).toContain('One report, whose sender requested that it not be circulated, is named without its content.');
    expect(summary).toContain(`as at ${unDate(DATA.instruments.asAt)}`);
  });

  it('has its sections in order, the internal annex last, and no observations section without observations', () => {
    expect(headings(md)).toEqual([...SECTIONS, ANNEX_TITLE]);
    expect(md).not.toContain('Observations of the Secretary-General');
  });

  it('cites the resolution and its paragraphs from the configuration', () => {
    const intro = section(0);
    expect(intro).toContain(`resolution ${resolution.symbol} of ${unDate(resolution.adoptedOn)}`);
    expect(intro).toContain(`“${resolution.title.en}”`);
    expect(intro).toContain(`at its ${sessionOrdinal(resolution.reportSession)} session`);
    expect(intro).toContain(`by a circular note dated ${unDate(DATA.circularOn)}`);
    expect(intro).toContain(`submit their reports and views by ${DEADLINE}`);
    expect(intro).toContain('will be issued as an addendum');
    // The next resolution renumbers its paragraphs: the report follows.
    const renumbered = renderReportMarkdown({
      ...DATA, resolution: { ...RESOLUTION, symbol: '81/200', reportSession: 83, paragraphs: { ...RESOLUTION.paragraphs, reports: '10', violationReport: '10 (a)', views: '12', report: '13' } },
    });
    expect(renumbered).toContain('In paragraph 13 of that resolution');
    expect(renumbered).toContain('pursuant to paragraphs 10 and 12 of the resolution');
    expect(renumbered).toContain('at its eighty-third session');
    expect(renumbered).toContain('pursuant to paragraph 10 (a) of the resolution and requested that it not be circulated');
    expect(renumbered).not.toContain('paragraph 11');
  });

  it('numbers the paragraphs through the whole document', () => {
    expect(paragraphs.length).toBeGreaterThan(8);
    expect(paragraphs.map((p) => p.n)).toEqual(paragraphs.map((_, i) => i + 1));
  });

  it('gives each report received by the deadline one paragraph, opening with the State in running text and the date of receipt, by State then date', () => {
    const reports = numbered(section(1));
    expect(reports).toHaveLength(ON_TIME.length);
    const expected = [...ON_TIME].sort((a, b) => a.stateName.localeCompare(b.stateName, 'en') || a.receivedOn.localeCompare(b.receivedOn));
    reports.forEach((p, i) => {
      const item = expected[i] as CycleReportItem;
      expect(p.text.startsWith(`${item.stateInText.charAt(0).toUpperCase()}${item.stateInText.slice(1)} (${unDate(item.receivedOn)}) `)).toBe(true);
    });
    const iran = reports.find((p) => p.text.startsWith('The Islamic Republic of Iran'));
    expect(iran?.text).toBe('The Islamic Republic of Iran (3 November 2025) reported that on 28 October 2025, demonstrators forced the gate of the Embassy in Khartoum and damaged its archives.');
    // A follow-up points to the paragraph of the violation it concerns; the host State reporting speaks of its territory.
    expect(reports.find((p) => p.text.startsWith('The Sudan'))?.text).toBe(
      'The Sudan (10 February 2026) reported, with regard to the measures taken to bring the offender to justice in respect of the violation that ' +
        `took place in its territory on 28 October 2025 (see para. ${iran?.n} above), that two persons were charged with the attack.`,
    );
    // A name opening the summary keeps its capital.
    expect(reports.find((p) => p.text.startsWith('Japan'))?.text).toContain(', that Mexico-based investigators assisted');
    // The bracketed list forms stay in lists and tables.
    for (const item of [...REPORTS, ...VIEWS]) if (item.stateName.includes('(')) expect(body(md)).not.toContain(item.stateName);
  });

  it('names a report its sender asked not to circulate, with its kind and date, and never its content', () => {
    const withheld = numbered(section(1)).find((p) => p.text.startsWith('The Kingdom of the Netherlands'));
    expect(withheld?.text).toBe('The Kingdom of the Netherlands (1 March 2026) submitted a report of a serious violation pursuant to paragraph 11 (a) of the resolution and requested that it not be circulated.');
    expect(md).not.toContain(SECRET);
    expect(section(1)).not.toContain('Venezuela');
  });

  it('keeps the case references out of the body, in the internal annex by paragraph', () => {
    for (const r of REPORTS) expect(body(md)).not.toContain(r.caseReference);
    const annex = md.slice(md.indexOf(ANNEX_TITLE));
    for (const p of numbered(section(1))) {
      const item = ON_TIME.find((r) => p.text.startsWith(`${r.stateInText.charAt(0).toUpperCase()}${r.stateInText.slice(1)} (${unDate(r.receivedOn)})`));
      expect(annex).toContain(`| ${p.n} | ${item?.stateName} | ${unDate(item?.receivedOn ?? '')} |`);
      expect(annex).toMatch(new RegExp(`\\| ${p.n} \\|[^\\n]*\\| ${item?.caseReference} \\|`));
    }
  });

  it('leaves the reports and views received after the deadline to the addendum', () => {
    for (const r of LATE) expect(md).not.toContain(r.summary);
    for (const v of VIEWS_LATE) expect(md).not.toContain(v.summary.slice(0, -1));
  });

  it('gives each view received by the deadline one paragraph, opening with the State and the date', () => {
    const views = numbered(section(2));
    expect(views.map((p) => p.text)).toEqual([
      'The Bahamas (15 March 2026) stated that the training of guards is essential.',
      'Italy (1 April 2026) stated that Italy trains police units assigned to embassies.',
    ]);
  });

  it('lists the changes in participation since the previous report and tabulates signatories and parties from the shipped data', () => {
    const iv = section(3);
    expect(iv).toContain(`Since ${unDate(SINCE)}, the date of the information contained in the previous report`);
    expect(iv).toContain('| Instrument | Signatories | Parties |');
    for (const instrument of shippedInstruments.instruments) {
      // Counted here from the file's own actions: every State bound and not withdrawn, every State that signed.
      const bound = new Set(instrument.actions.filter((a) => isBinding(a.action)).map((a) => a.state));
      for (const a of instrument.actions) if (a.action === 'withdrawal') bound.delete(a.state);
      const signed = new Set(instrument.actions.filter((a) => a.action === 'signature').map((a) => a.state));
      expect(iv).toMatch(new RegExp(`\\| ${instrument.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\([^|]*\\| ${signed.size} \\| ${bound.size} \\|`));
      for (const a of instrument.actions) {
        const line = `- ${named(a.state).stateName}: ${a.action}, ${unDate(a.date)}`;
        if (a.date > SINCE && a.date <= shippedInstruments.asAt) expect(iv).toContain(line);
        else expect(iv).not.toContain(line);
      }
    }
    // The United States withdrew from the disputes protocol: listed as a change and no longer a party.
    expect(iv).toContain(`- United States of America: withdrawal, ${unDate('2018-10-03')}`);
  });

  it('names a participant outside the directory by the data’s name', () => {
    const earlier = renderReportMarkdown({ ...DATA, instruments: summarizeInstruments(shippedInstruments, '2009-01-01', named) });
    expect(earlier).toContain(`- Niue: accession, ${unDate('2009-06-22')}`);
  });

  it('adds the observations of the Secretary-General as section V, numbered on, only when he has any', () => {
    const withObservations = renderReportMarkdown({ ...DATA, observations: OBSERVATIONS });
    expect(headings(withObservations)).toEqual([...SECTIONS, OBSERVATIONS_SECTION, ANNEX_TITLE]);
    const v = numbered(between(withObservations, OBSERVATIONS_SECTION, ANNEX_TITLE));
    expect(v.map((p) => p.text)).toEqual(OBSERVATIONS);
    const all = numbered(withObservations);
    expect(all.map((p) => p.n)).toEqual(all.map((_, i) => i + 1));
    expect(between(withObservations, SECTIONS[0] ?? '', SECTIONS[1])).toContain('section V the observations of the Secretary-General, which paragraph 15 invited him to include');
  });

  it('keeps what States wrote from turning into Markdown', () => {
    const md2 = renderReportMarkdown({ ...DATA, views: [{ ...VIEWS[1]!, summary: 'Use *all* means [see](http://x) <b>now</b>' }] });
    expect(md2).toContain('Use \\*all\\* means [see]\\(http://x) \\<b>now\\</b>.');
  });

  it('says that none were received when nothing came by the deadline', () => {
    const empty = renderReportMarkdown({ ...DATA, reports: LATE, views: VIEWS_LATE });
    expect(empty).toContain(`No reports pursuant to paragraph 11 of resolution 79/124 had been received by ${DEADLINE}.`);
    expect(empty).toContain(`No views pursuant to paragraph 13 of resolution 79/124 had been received by ${DEADLINE}.`);
    expect(empty).toContain('had received no reports pursuant to paragraph 11 of the resolution, and no views pursuant to paragraph 13.');
    expect(empty).not.toContain('Registry references');
  });
});

describe('the addendum', () => {
  const md = renderReportMarkdown(DATA, 'addendum');

  it('has its own masthead, symbol and title lines', () => {
    const front = md.slice(0, md.indexOf('## '));
    expect(front).toContain('A/81/…/Add.1');
    expect(front).toContain('Agenda item …');
    expect(front).toContain('**Addendum**');
    expect(front).not.toContain('Summary');
  });

  it('covers only what came after the deadline, numbered from 1', () => {
    expect(headings(md)).toEqual([...SECTIONS.slice(0, 3), ANNEX_TITLE]);
    const paragraphs = numbered(md);
    expect(paragraphs.map((p) => p.n)).toEqual(paragraphs.map((_, i) => i + 1));
    expect(between(md, SECTIONS[0] ?? '', SECTIONS[1])).toContain(`after ${DEADLINE}`);
    const reports = numbered(between(md, SECTIONS[1] ?? '', SECTIONS[2]));
    expect(reports).toHaveLength(LATE.length);
    expect(reports[0]?.text).toBe(`The Plurinational State of Bolivia (1 June 2026) reported that ${LATE.find((r) => r.state === 'BOL')?.summary.replace(/^./, (c) => c.toLowerCase())}`);
    expect(reports[1]?.text).toContain('The Sudan (20 June 2026) reported, with regard to the final outcome of the proceedings against the offender');
    // The violation it follows is in the report, not here: no paragraph to point to.
    expect(reports[1]?.text).not.toContain('see para.');
    expect(numbered(between(md, SECTIONS[2] ?? '', ANNEX_TITLE)).map((p) => p.text))
      .toEqual(['The Bolivarian Republic of Venezuela (20 May 2026) stated that a register of protective measures would help.']);
    for (const r of ON_TIME) expect(md).not.toContain(r.summary.slice(0, 20));
    for (const v of VIEWS_ON_TIME) expect(md).not.toContain(v.summary.slice(0, 20));
    for (const r of REPORTS) expect(body(md)).not.toContain(r.caseReference);
    expect(md.slice(md.indexOf(ANNEX_TITLE))).toContain('OLA/2026/007');
  });

  it('says so when nothing came after the deadline', () => {
    const none = buildAddendumOutline({ ...DATA, reports: ON_TIME, views: VIEWS_ON_TIME });
    const texts = none.blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.text] : []));
    expect(texts).toContain('No reports pursuant to paragraph 11 of resolution 79/124 were received in that period.');
    expect(texts).toContain('No views pursuant to paragraph 13 of resolution 79/124 were received in that period.');
  });
});

describe('the observations file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'obligations-observations-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads paragraphs separated by blank lines', () => {
    expect(readObservations(write('ok.txt', `${OBSERVATIONS[0]}\n\n  \n${OBSERVATIONS[1]?.replace(' all', '\nall')}\n`))).toEqual(OBSERVATIONS);
  });

  it('refuses a missing, empty or oversized file, naming the option', () => {
    expect(() => readObservations(path.join(dir, 'absent.txt'))).toThrow(/^--observations: cannot read .*absent\.txt: no such file$/);
    expect(() => readObservations(write('empty.txt', '\n  \n'))).toThrow(InputError);
    expect(() => readObservations(write('empty.txt', '\n  \n'))).toThrow(/--observations: .* is empty/);
    expect(() => readObservations(write('big.txt', 'x'.repeat(60_000)))).toThrow(/--observations: .* more than the 50000 allowed/);
    expect(() => readObservations(write('many.txt', Array.from({ length: 31 }, (_, i) => `Paragraph ${i}.`).join('\n\n')))).toThrow(/31 paragraphs/);
  });
});

describe('the draft report as a Word document', () => {
  let docx: Buffer;
  let html: string;
  let document: string;

  beforeAll(async () => {
    docx = await renderReportDocx({ ...DATA, observations: OBSERVATIONS });
    html = (await mammoth.convertToHtml({ buffer: docx })).value;
    document = zipEntry(docx, 'word/document.xml');
  });

  it('has the sections as Heading 1, in order', () => {
    expect(tagsOf(html, 'h1')).toEqual([...SECTIONS, OBSERVATIONS_SECTION, ANNEX_TITLE]);
    const headingStyles = wordParagraphs(document).filter((p) => p.text.match(/^[IV]+\. /)).map((p) => p.style);
    expect(headingStyles).toEqual(Array(5).fill('Heading1'));
  });

  it('numbers the paragraphs with Word numbering through a named paragraph style', () => {
    const outline = buildReportOutline({ ...DATA, observations: OBSERVATIONS });
    const expected = outline.blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.text] : []));
    const paragraphs = wordParagraphs(document).filter((p) => p.style === REPORT_STYLES.paragraph);
    expect(paragraphs.map((p) => p.text)).toEqual(expected);
    expect(paragraphs.every((p) => p.numbered)).toBe(true);
    // The numbers are Word's, not typed into the text.
    expect(paragraphs.some((p) => /^\d+\. /.test(p.text))).toBe(false);
    const styles = zipEntry(docx, 'word/styles.xml');
    const style = between(styles, `w:styleId="${REPORT_STYLES.paragraph}"`, '</w:style>');
    expect(style).toContain('<w:numPr>');
    const numId = /<w:numId w:val="(\d+)"\/>/.exec(style)?.[1];
    const numbering = zipEntry(docx, 'word/numbering.xml');
    const abstractId = new RegExp(`<w:num w:numId="${numId}"[^>]*>\\s*<w:abstractNumId w:val="(\\d+)"`).exec(numbering)?.[1];
    expect(between(numbering, `w:abstractNumId="${abstractId}"`, '</w:abstractNum>')).toContain('<w:numFmt w:val="decimal"/>');
    // mammoth reads them as one ordered list per run of paragraphs, as many items as paragraphs.
    expect([...html.matchAll(/<ol>(.*?)<\/ol>/gs)].flatMap((m) => [...(m[1] ?? '').matchAll(/<li>/g)])).toHaveLength(expected.length);
  });

  it('defines the named styles a template can restyle, and uses them', () => {
    const styles = zipEntry(docx, 'word/styles.xml');
    for (const id of Object.values(REPORT_STYLES)) {
      expect(styles).toContain(`w:styleId="${id}"`);
      expect(document).toContain(`<w:pStyle w:val="${id}"/>`);
    }
    expect(styles).toMatch(/w:styleId="Heading1"/);
    const summary = wordParagraphs(document).filter((p) => p.style === REPORT_STYLES.summary);
    expect(summary.map((p) => p.text)).toEqual(buildReportOutline({ ...DATA, observations: OBSERVATIONS }).summary);
    expect(between(styles, `w:styleId="${REPORT_STYLES.summary}"`, '</w:style>')).toContain('<w:pBdr>');
  });

  it('puts the participation figures in a Word table', () => {
    const tables = [...html.matchAll(/<table>(.*?)<\/table>/gs)].map((m) => [...(m[1] ?? '').matchAll(/<tr>(.*?)<\/tr>/gs)].map((r) => tagsOf(r[1] ?? '', 't[hd]')));
    const participation = tables.find((rows) => rows[0]?.[0] === 'Instrument');
    expect(participation?.[0]).toEqual(['Instrument', 'Signatories', 'Parties']);
    expect(participation?.slice(1).map((row) => row.slice(1))).toEqual(DATA.instruments.items.map((i) => [String(i.signatories), String(i.parties)]));
    expect(document).toContain('<w:tbl>');
  });

  it('keeps the case references and the withheld content out of the body', () => {
    const text = decode(html);
    for (const r of REPORTS) expect(body(text)).not.toContain(r.caseReference);
    expect(text.slice(text.indexOf(ANNEX_TITLE))).toContain(ON_TIME[0]?.caseReference as string);
    expect(document).not.toContain(SECRET);
  });

  it('is A4, with the symbol and the draft marking in the page header; the addendum with its own', async () => {
    expect(document).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    const header = decode(zipEntry(docx, 'word/header1.xml'));
    expect(header).toContain('A/81/…');
    expect(header).toContain('Advance unedited version');
    const addendum = await renderReportDocx(DATA, 'addendum');
    expect(decode(zipEntry(addendum, 'word/header1.xml'))).toContain('A/81/…/Add.1');
    const paragraphs = wordParagraphs(zipEntry(addendum, 'word/document.xml')).filter((p) => p.style === REPORT_STYLES.paragraph);
    expect(paragraphs.map((p) => p.text)).toEqual(buildAddendumOutline(DATA).blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.text] : [])));
  });
});
