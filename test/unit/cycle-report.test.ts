import { inflateRawSync } from 'node:zlib';
import mammoth from 'mammoth';
import { renderReportDocx } from '../../clients/report/docx';
import { renderReportMarkdown } from '../../clients/report/markdown';
import { REPORT_KIND_LABELS, buildReportOutline, formatUnDate } from '../../clients/report/outline';
import { sessionOrdinal as ordinalIn } from '../../domain/un-style';

const sessionOrdinal = (session: number) => ordinalIn(session, 'en');
import { type CycleReportData, type CycleReportItem, type CycleViewItem } from '../../domain/cycle-report';

const TITLE =
  'Consideration of effective measures to enhance the protection, security and safety of diplomatic and consular missions and representatives';

// Deliberately out of order: the report sorts by date of receipt, and cases by their first report.
const REPORTS: CycleReportItem[] = [
  {
    caseReference: 'OLA/2025/004', hostState: 'RUR', hostName: 'Ruritania', state: 'FRE', stateName: 'Freedonia',
    receivedOn: '2025-11-03', kind: 'violation', late: false,
    summary: 'On 28 October 2025, demonstrators forced the gate of the Embassy of Freedonia in Ruritania and damaged its archives.',
  },
  {
    caseReference: 'OLA/2025/004', hostState: 'RUR', hostName: 'Ruritania', state: 'RUR', stateName: 'Ruritania',
    receivedOn: '2026-06-20', kind: 'outcome', late: true,
    summary: 'The Criminal Court of Strelsau sentenced two persons to three years of imprisonment.',
  },
  {
    caseReference: 'OLA/2025/001', hostState: 'SYL', hostName: 'Syldavia', state: 'SYL', stateName: 'Syldavia',
    receivedOn: '2025-02-10', kind: 'measures', late: false,
    summary: 'The police of Klow identified the persons who threw objects at the Consulate General of Borduria.',
  },
];

const VIEWS: CycleViewItem[] = [
  { state: 'ZEM', stateName: 'Zembla', receivedOn: '2026-05-20', late: true, summary: 'Zembla proposes a register of protective measures.' },
  { state: 'ITA', stateName: 'Italy', receivedOn: '2026-04-01', late: false, summary: 'Italy described its training of police units assigned to embassies.' },
];

const DATA: CycleReportData = {
  session: 81,
  resolution: { symbol: '79/124', adoptedOn: '2024-12-04', title: TITLE },
  period: { from: '2024-12-05', to: '2026-07-31' },
  deadline: '2026-05-15',
  reports: REPORTS,
  views: VIEWS,
  instruments: {
    asAt: '2026-06-30',
    since: '2024-07-01',
    items: [
      {
        id: 'vcdr', title: 'Vienna Convention on Diplomatic Relations', adopted: 'Vienna, 18 April 1961', parties: 193, signatoriesOnly: 0,
        changes: [
          { state: 'SSD', stateName: 'South Sudan', action: 'accession', date: '2025-03-03' },
          { state: 'PLW', stateName: 'Palau', action: 'accession', date: '2024-04-02' },
        ],
      },
      {
        id: 'vccr-op-disputes', title: 'Optional Protocol to the Vienna Convention on Consular Relations concerning the Compulsory Settlement of Disputes',
        adopted: 'Vienna, 24 April 1963', parties: 52, signatoriesOnly: 30,
        changes: [{ state: 'GHA', stateName: 'Ghana', action: 'ratification', date: '2026-08-01' }],
      },
    ],
  },
};

const EMPTY: CycleReportData = { ...DATA, reports: [], views: [], instruments: { ...DATA.instruments, items: [] } };

// Written independently of the renderer's own formatter.
const unDate = (iso: string): string => new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
const WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const words = (n: number): string => WORDS[n] ?? String(n);
const inWindow = (date: string): boolean => date > DATA.instruments.since && date <= DATA.instruments.asAt;

const DEADLINE = unDate(DATA.deadline);
const ON_TIME = REPORTS.filter((r) => !r.late);
const LATE = REPORTS.filter((r) => r.late);
const VIEWS_ON_TIME = VIEWS.filter((v) => !v.late);
const VIEWS_LATE = VIEWS.filter((v) => v.late);
const SECTIONS = [
  'I. Introduction',
  'II. Reports received from States',
  'III. Views received from States',
  'IV. State of participation in the instruments',
  `Addendum: replies received after ${DEADLINE}`,
];
const receipt = (item: { receivedOn: string }): string => `[date of receipt: ${unDate(item.receivedOn)}]`;
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A State's entry in the Markdown: its name, the date of receipt, then its numbered paragraph. */
function mdEntry(item: CycleReportItem | CycleViewItem): RegExp {
  const lead = 'kind' in item ? `*${REPORT_KIND_LABELS[item.kind]}.* ` : '';
  return new RegExp(`${literal(`**${item.stateName}**  \n${receipt(item)}\n\n`)}\\d+\\. ${literal(`${lead}${item.summary}`)}\n`);
}

/** The text from one heading to the next of the given ones (or to the end). */
function between(text: string, from: string, to?: string): string {
  const start = text.indexOf(from);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = to === undefined ? text.length : text.indexOf(to, start + from.length);
  expect(end).toBeGreaterThan(start);
  return text.slice(start, end);
}

/** One file of the .docx (a zip): mammoth reads no headers, and the page size is not in its output. */
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

describe('outline helpers', () => {
  it('writes dates in United Nations style and refuses impossible ones', () => {
    expect(formatUnDate('2026-05-15')).toBe('15 May 2026');
    expect(formatUnDate('2024-12-04')).toBe('4 December 2024');
    expect(() => formatUnDate('2026-04-31')).toThrow(/not a calendar date/);
    expect(() => formatUnDate('15/05/2026')).toThrow(/not a calendar date/);
  });

  it('names sessions as the Assembly does', () => {
    expect(sessionOrdinal(81)).toBe('eighty-first');
    expect(sessionOrdinal(83)).toBe('eighty-third');
    expect(sessionOrdinal(80)).toBe('eightieth');
    // The report is drafted for the sessions campaigns run for, whose ordinals the notes write too.
    expect(() => sessionOrdinal(12)).toThrow(/12 is not a session from 80 to 120/);
    expect(sessionOrdinal(100)).toBe('one hundredth');
    expect(sessionOrdinal(101)).toBe('one hundred and first');
    expect(() => sessionOrdinal(0)).toThrow();
  });
});

describe('draft report in Markdown', () => {
  const md = renderReportMarkdown(DATA);

  it('has the front matter and the sections in order', () => {
    expect(md.startsWith('A/81/…')).toBe(true);
    expect(md).toContain('Advance unedited version');
    expect(md).toContain('Eighty-first session');
    expect(md).toContain(`# ${TITLE}\n`);
    expect(md).toContain('Report of the Secretary-General');
    const headings = md.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
    expect(headings).toEqual(SECTIONS);
  });

  it('cites the resolution and gives the figures of the data in the introduction', () => {
    const intro = between(md, SECTIONS[0] ?? '', SECTIONS[1]);
    expect(intro).toContain(`resolution ${DATA.resolution.symbol} of ${unDate(DATA.resolution.adoptedOn)}`);
    expect(intro).toContain(`“${TITLE}”`);
    for (const paragraph of ['paragraph 12 (a)', 'paragraph 13', 'paragraph 14']) expect(intro).toContain(paragraph);
    expect(intro).toContain('at its eighty-first session');
    expect(intro).toContain(`circular note to all States`);
    expect(intro).toContain(`submit their reports and views by ${DEADLINE}`);
    const states = new Set(ON_TIME.map((r) => r.state)).size;
    const cases = new Set(ON_TIME.map((r) => r.caseReference)).size;
    expect(intro).toContain(
      `By ${DEADLINE}, the Secretary-General had received ${words(ON_TIME.length)} reports from ${words(states)} States, ` +
        `concerning ${words(cases)} cases, pursuant to paragraph 11, and the views of ${words(VIEWS_ON_TIME.length)} State pursuant to paragraph 13.`,
    );
    const late = LATE.length + VIEWS_LATE.length;
    expect(intro).toContain(`${words(late).replace(/^./, (c) => c.toUpperCase())} replies received after that date are summarized in the addendum`);
  });

  it('puts each on-time report under its case in section II, by date of receipt, and the late one only in the addendum', () => {
    const reports = between(md, SECTIONS[1] ?? '', SECTIONS[2]);
    const addendum = between(md, SECTIONS[4] ?? '');
    const sorted = [...ON_TIME].sort((a, b) => a.receivedOn.localeCompare(b.receivedOn));
    let last = -1;
    for (const report of sorted) {
      const heading = `Violation reported in ${report.hostName} (${report.caseReference})`;
      expect(reports).toContain(heading);
      expect(reports).toMatch(mdEntry(report));
      expect(reports.indexOf(heading)).toBeGreaterThan(last);
      last = reports.indexOf(heading);
      expect(addendum).not.toContain(report.summary);
    }
    for (const report of LATE) {
      expect(reports).not.toContain(report.summary);
      expect(addendum).toMatch(mdEntry(report));
    }
  });

  it('puts on-time views in section III and late ones in the addendum', () => {
    const views = between(md, SECTIONS[2] ?? '', SECTIONS[3]);
    const addendum = between(md, SECTIONS[4] ?? '');
    for (const view of VIEWS_ON_TIME) {
      expect(views).toMatch(mdEntry(view));
      expect(addendum).not.toContain(view.summary);
    }
    for (const view of VIEWS_LATE) {
      expect(views).not.toContain(view.summary);
      expect(addendum).toMatch(mdEntry(view));
    }
  });

  it('tabulates participation and lists only the changes inside the window', () => {
    const section = between(md, SECTIONS[3] ?? '', SECTIONS[4]);
    expect(section).toContain(`as at ${unDate(DATA.instruments.asAt)}`);
    expect(section).toContain(`Since ${unDate(DATA.instruments.since)}`);
    expect(section).toContain('| Instrument | Parties | Signatories (not yet parties) |');
    for (const instrument of DATA.instruments.items) {
      expect(section).toContain(`| ${instrument.title} (${instrument.adopted}) | ${instrument.parties} | ${instrument.signatoriesOnly} |`);
      const title = `*${instrument.title}*\n\n`;
      expect(section).toContain(title);
      const kept = section.slice(section.indexOf(title) + title.length).split('\n\n')[0] ?? '';
      const inside = instrument.changes.filter((c) => inWindow(c.date));
      if (inside.length === 0) expect(kept).toBe('- No change since the previous report.');
      for (const change of instrument.changes) {
        const line = `- ${change.stateName}: ${change.action}, ${unDate(change.date)}`;
        if (inWindow(change.date)) expect(kept).toContain(line);
        else expect(section).not.toContain(change.stateName);
      }
    }
  });

  it('numbers the paragraphs through the whole document', () => {
    const numbers = md.split('\n').map((l) => /^(\d+)\. /.exec(l)?.[1]).filter((n) => n !== undefined).map(Number);
    expect(numbers.length).toBeGreaterThan(5);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  });

  it('keeps what States wrote from turning into Markdown', () => {
    const md2 = renderReportMarkdown({ ...DATA, views: [{ ...VIEWS[1]!, summary: 'Use *all* means [see](http://x) <b>now</b>' }] });
    expect(md2).toContain('Use \\*all\\* means [see]\\(http://x) \\<b>now\\</b>.');
  });

  it('says that none were received when the data set is empty', () => {
    const empty = renderReportMarkdown(EMPTY);
    expect(empty).toContain(`No reports pursuant to paragraph 11 of resolution 79/124 had been received by ${DEADLINE}.`);
    expect(empty).toContain(`No views pursuant to paragraph 13 of resolution 79/124 had been received by ${DEADLINE}.`);
    expect(empty).toContain('had received no reports pursuant to paragraph 11, and no views pursuant to paragraph 13.');
    expect(empty).toContain(`No reports or views had been received after ${DEADLINE}`);
    expect(empty).not.toContain('date of receipt');
  });
});

describe('draft report as a Word document', () => {
  let docx: Buffer;
  let html: string;
  let text: string;

  beforeAll(async () => {
    docx = await renderReportDocx(DATA);
    html = (await mammoth.convertToHtml({ buffer: docx })).value;
    text = (await mammoth.extractRawText({ buffer: docx })).value;
  });

  it('has the sections as Heading 1 in order, and the cases as Heading 2', () => {
    expect(tagsOf(html, 'h1')).toEqual(SECTIONS);
    const caseHeadings = tagsOf(between(html, SECTIONS[1] ?? '', SECTIONS[2]), 'h2');
    const firstReceipt = (ref: string): string => ON_TIME.filter((r) => r.caseReference === ref).map((r) => r.receivedOn).sort()[0] ?? '';
    const refs = [...new Set(ON_TIME.map((r) => r.caseReference))].sort((a, b) => firstReceipt(a).localeCompare(firstReceipt(b)));
    expect(caseHeadings).toEqual(refs.map((ref, i) => {
      const host = ON_TIME.find((r) => r.caseReference === ref)?.hostName ?? '';
      return `${'AB'[i] ?? ''}. Violation reported in ${host} (${ref})`;
    }));
  });

  it('puts each on-time report in section II and the late one only in the addendum', () => {
    const reports = between(text, SECTIONS[1] ?? '', SECTIONS[2]);
    const views = between(text, SECTIONS[2] ?? '', SECTIONS[3]);
    const addendum = between(text, SECTIONS[4] ?? '');
    for (const report of ON_TIME) {
      expect(reports).toContain(`${report.stateName}\n\n${receipt(report)}\n\n${REPORT_KIND_LABELS[report.kind]}. ${report.summary}`);
      expect(addendum).not.toContain(report.summary);
    }
    for (const report of LATE) {
      expect(reports).not.toContain(report.summary);
      expect(addendum).toContain(`${report.stateName}\n\n${receipt(report)}\n\n${REPORT_KIND_LABELS[report.kind]}. ${report.summary}`);
    }
    for (const view of VIEWS_ON_TIME) expect(views).toContain(`${view.stateName}\n\n${receipt(view)}\n\n${view.summary}`);
    for (const view of VIEWS_LATE) {
      expect(views).not.toContain(view.summary);
      expect(addendum).toContain(`${view.stateName}\n\n${receipt(view)}\n\n${view.summary}`);
    }
  });

  it('has the participation figures in a table', () => {
    const table = between(html, '<table>', '</table>');
    const rows = [...table.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => tagsOf(m[1] ?? '', 't[hd]'));
    expect(rows[0]).toEqual(['Instrument', 'Parties', 'Signatories (not yet parties)']);
    expect(rows.slice(1)).toEqual(
      DATA.instruments.items.map((i) => [`${i.title} (${i.adopted})`, String(i.parties), String(i.signatoriesOnly)]),
    );
    expect(text).toContain(`South Sudan: accession, ${unDate('2025-03-03')}`);
    expect(text).not.toContain('Palau');
    expect(text).not.toContain('Ghana');
    expect(text).toContain('No change since the previous report.');
  });

  it('numbers the same paragraphs as the Markdown, with Word numbering', () => {
    const numbered = buildReportOutline(DATA).blocks.filter((b) => b.kind === 'paragraph').length;
    const items = [...html.matchAll(/<ol>(.*?)<\/ol>/gs)].flatMap((m) => [...(m[1] ?? '').matchAll(/<li>/g)]);
    expect(items).toHaveLength(numbered);
    const document = zipEntry(docx, 'word/document.xml');
    const numIds = new Set([...document.matchAll(/<w:numId w:val="(\d+)"\/>/g)].map((m) => m[1]));
    // One list for the paragraphs, one for the bullets: Word then numbers on through the whole report.
    expect(numIds.size).toBe(2);
  });

  it('is A4, with the symbol and the draft marking in the page header', () => {
    const document = zipEntry(docx, 'word/document.xml');
    expect(document).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    const header = decode(zipEntry(docx, 'word/header1.xml'));
    expect(header).toContain(`A/${DATA.session}/…`);
    expect(header).toContain('Advance unedited version');
    expect(header.toLowerCase()).toContain('draft');
  });

  it('says that no reports were received for an empty data set', async () => {
    const empty = (await mammoth.extractRawText({ buffer: await renderReportDocx(EMPTY) })).value;
    expect(between(empty, SECTIONS[1] ?? '', SECTIONS[2]))
      .toContain(`No reports pursuant to paragraph 11 of resolution 79/124 had been received by ${DEADLINE}.`);
    expect(between(empty, SECTIONS[2] ?? '', SECTIONS[3]))
      .toContain(`No views pursuant to paragraph 13 of resolution 79/124 had been received by ${DEADLINE}.`);
    expect(empty).not.toContain('date of receipt');
  });
});
