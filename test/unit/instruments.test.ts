import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backupPath, recordInstrumentAction, showInstruments, workingCopyPath } from '../../clients/instruments';
import { InputError } from '../../clients/errors';
import { DEFAULT_DIRECTORY_PATH, loadDirectory } from '../../config/directory';
import { DEFAULT_INSTRUMENTS_PATH, formatInstruments, loadInstruments, parseInstruments } from '../../config/instruments';
import {
  BINDING_ACTIONS, changesBetween, InstrumentsError, participation, recordAction, TREATY_ACTIONS, type InstrumentStatus,
} from '../../domain/instruments';

const directory = loadDirectory(DEFAULT_DIRECTORY_PATH);

/** A small status to test the rules on; the dates are made up for the tests. */
function sample(): { asAt: string; instruments: Record<string, unknown>[] } {
  return {
    asAt: '2026-06-30',
    instruments: [
      {
        id: 'vcdr',
        title: 'Vienna Convention on Diplomatic Relations',
        adopted: 'Vienna, 18 April 1961',
        actions: [
          { state: 'CHE', action: 'signature', date: '1961-04-18' },
          { state: 'CHE', action: 'ratification', date: '1963-11-22' },
          { state: 'FRA', action: 'signature', date: '1962-03-30' },
          { state: 'GHA', action: 'signature', date: '1961-04-18' },
          { state: 'PSE', action: 'accession', date: '2025-03-01' },
          { state: 'TLS', action: 'succession', date: '2026-06-30' },
        ],
      },
      {
        id: 'special-missions',
        title: 'Convention on Special Missions',
        adopted: 'New York, 8 December 1969',
        actions: [{ state: 'ESP', action: 'accession', date: '2001-05-31' }],
      },
      { id: 'ipp', title: 'Convention on the Prevention and Punishment of Crimes against Internationally Protected Persons, including Diplomatic Agents', adopted: 'New York, 14 December 1973', actions: [] },
    ],
  };
}

const sampleStatus = (): InstrumentStatus => parseInstruments(sample(), 'sample.json', directory);

function actionsOf(raw: ReturnType<typeof sample>, index = 0): unknown[] {
  return (raw.instruments[index] as { actions: unknown[] }).actions;
}

function refusal(raw: unknown): InstrumentsError {
  try {
    parseInstruments(raw, 'test.json', directory);
  } catch (error) {
    expect(error).toBeInstanceOf(InstrumentsError);
    return error as InstrumentsError;
  }
  throw new Error('expected the instruments to be refused');
}

function recordRefusal(status: InstrumentStatus, input: unknown, today = '2026-11-28'): InstrumentsError {
  try {
    recordAction(status, input, today, directory);
  } catch (error) {
    expect(error).toBeInstanceOf(InstrumentsError);
    return error as InstrumentsError;
  }
  throw new Error('expected the action to be refused');
}

describe('the shipped state of participation', () => {
  const status = loadInstruments(DEFAULT_INSTRUMENTS_PATH, directory);

  it('loads and validates against the shipped State directory', () => {
    expect(status.asAt).toBe('2025-06-24');
    for (const instrument of status.instruments) {
      for (const event of instrument.actions) expect(directory.has(event.state) || status.otherParticipants?.some((other) => other.code === event.state)).toBe(true);
    }
  });

  it('holds the instruments of paragraph 9 with their titles and places and dates of adoption', () => {
    expect(status.instruments.map(({ id, title, adopted }) => ({ id, title, adopted }))).toEqual([
      { id: 'vcdr', title: 'Vienna Convention on Diplomatic Relations', adopted: 'Vienna, 18 April 1961' },
      { id: 'vcdr-op-nationality', title: 'Optional Protocol to the Vienna Convention on Diplomatic Relations, concerning Acquisition of Nationality', adopted: 'Vienna, 18 April 1961' },
      { id: 'vcdr-op-disputes', title: 'Optional Protocol to the Vienna Convention on Diplomatic Relations, concerning the Compulsory Settlement of Disputes', adopted: 'Vienna, 18 April 1961' },
      { id: 'vccr', title: 'Vienna Convention on Consular Relations', adopted: 'Vienna, 24 April 1963' },
      { id: 'vccr-op-nationality', title: 'Optional Protocol to the Vienna Convention on Consular Relations concerning Acquisition of Nationality', adopted: 'Vienna, 24 April 1963' },
      { id: 'vccr-op-disputes', title: 'Optional Protocol to the Vienna Convention on Consular Relations concerning the Compulsory Settlement of Disputes', adopted: 'Vienna, 24 April 1963' },
      { id: 'ipp', title: 'Convention on the Prevention and Punishment of Crimes against Internationally Protected Persons, including Diplomatic Agents', adopted: 'New York, 14 December 1973' },
      { id: 'special-missions', title: 'Convention on Special Missions', adopted: 'New York, 8 December 1969' },
      { id: 'special-missions-op-disputes', title: 'Optional Protocol to the Convention on Special Missions concerning the Compulsory Settlement of Disputes', adopted: 'New York, 8 December 1969' },
    ]);
  });

  it('totals what the Treaty Collection extracts hold: parties and signatories per instrument', () => {
    // The extracts' own counts (reference README, "these rows"), withdrawals taken off.
    const totals = Object.fromEntries(status.instruments.map((instrument) => {
      const { parties, signatories } = participation(status, instrument.id);
      return [instrument.id, [parties, signatories]];
    }));
    expect(totals).toEqual({
      vcdr: [191, 60], 'vcdr-op-nationality': [51, 18], 'vcdr-op-disputes': [70, 29], vccr: [177, 48], 'vccr-op-nationality': [41, 19],
      'vccr-op-disputes': [51, 39], ipp: [176, 25], 'special-missions': [39, 12], 'special-missions-op-disputes': [17, 8],
    });
    for (const instrument of status.instruments) {
      const bound = new Set(instrument.actions.filter((event) => BINDING_ACTIONS.includes(event.action)).map((event) => event.state));
      const withdrawn = instrument.actions.filter((event) => event.action === 'withdrawal').length;
      expect(participation(status, instrument.id).parties).toBe(bound.size - withdrawn);
    }
  });

  it('a withdrawal ends a party: the United States and the disputes protocols of both conventions', () => {
    expect(participation(status, 'vcdr-op-disputes', '2018-10-02').parties - participation(status, 'vcdr-op-disputes', '2018-10-03').parties).toBe(1);
    expect(participation(status, 'vccr-op-disputes', '2005-03-06').parties - participation(status, 'vccr-op-disputes', '2005-03-07').parties).toBe(1);
  });

  it('Niue, outside the State directory, is a party to the 1973 Convention as another participant', () => {
    expect(status.otherParticipants).toEqual([{ code: 'NIU', name: 'Niue' }]);
    expect(status.instruments.find((i) => i.id === 'ipp')?.actions.some((event) => event.state === 'NIU' && BINDING_ACTIONS.includes(event.action))).toBe(true);
  });

  it('says, per instrument, how far its data is complete and what is missing', () => {
    const vcdr = status.instruments.find((i) => i.id === 'vcdr');
    expect(vcdr?.asAt).toBe('2017-02-17');
    expect(vcdr?.gaps).toContain('two later parties are missing');
    expect(status.instruments.find((i) => i.id === 'special-missions')).not.toHaveProperty('gaps');
  });

  it('is stored in the canonical layout, one action a line', () => {
    expect(formatInstruments(status)).toBe(readFileSync(DEFAULT_INSTRUMENTS_PATH, 'utf8'));
  });
});

describe('parseInstruments', () => {
  it('accepts good data and keeps only the known fields', () => {
    const status = sampleStatus();
    expect(status.asAt).toBe('2026-06-30');
    expect(status.instruments.map((instrument) => instrument.id)).toEqual(['vcdr', 'special-missions', 'ipp']);
    expect(status.instruments[0]?.actions[1]).toEqual({ state: 'CHE', action: 'ratification', date: '1963-11-22' });
  });

  it('refuses a file that is not an object', () => {
    expect(refusal([]).message).toMatch(/^test\.json: the instruments file must be an object/);
  });

  it('refuses an as-at date that is not a real date', () => {
    const raw = { ...sample(), asAt: '2026-02-30' };
    const error = refusal(raw);
    expect(error.message).toMatch(/^test\.json: asAt 2026-02-30 is not a real calendar date/);
    expect(error.problems.map((problem) => problem.field)).toEqual(['asAt']);
  });

  it('refuses a missing, empty or non-array list of instruments', () => {
    expect(refusal({ asAt: '2026-06-30' }).message).toBe('test.json: instruments is missing');
    expect(refusal({ asAt: '2026-06-30', instruments: [] }).message).toMatch(/instruments is empty/);
    expect(refusal({ asAt: '2026-06-30', instruments: {} }).message).toMatch(/instruments must be an array of instruments, not an object/);
  });

  it('refuses duplicate and malformed ids, and empty titles and adoption lines', () => {
    const raw = sample();
    raw.instruments[1] = { ...raw.instruments[1], id: 'vcdr' };
    raw.instruments[2] = { ...raw.instruments[2], id: 'IPP 1973', title: ' ', adopted: undefined };
    const error = refusal(raw);
    expect(error.message.split('\n')).toEqual([
      'test.json: instrument 1 (vcdr): id "vcdr" is already used by instrument 0',
      'test.json: instrument 2 (IPP 1973): id must be lower-case letters, digits and hyphens (such as "vcdr-op-disputes"), not "IPP 1973"',
      'test.json: instrument 2 (IPP 1973): title must be a non-empty text',
      'test.json: instrument 2 (IPP 1973): adopted is missing',
    ]);
    expect(error.problems.map((problem) => problem.field)).toEqual(['instruments[1].id', 'instruments[2].id', 'instruments[2].title', 'instruments[2].adopted']);
  });

  it('refuses a State not in the directory, naming instrument, action index and field', () => {
    const raw = sample();
    actionsOf(raw)[3] = { state: 'XKX', action: 'signature', date: '1961-04-18' };
    const error = refusal(raw);
    expect(error.message).toBe('test.json: instrument 0 (vcdr): action 3 (XKX): state "XKX" is not the ISO 3166-1 alpha-3 code of a State in the directory or of another participant');
    expect(error.problems).toEqual([{ field: 'instruments[0].actions[3].state', message: 'state "XKX" is not the ISO 3166-1 alpha-3 code of a State in the directory or of another participant' }]);
  });

  it('refuses an action that is not one of the treaty actions', () => {
    const raw = sample();
    actionsOf(raw)[2] = { state: 'FRA', action: 'acceptance', date: '1962-03-30' };
    expect(refusal(raw).message).toBe(`test.json: instrument 0 (vcdr): action 2 (FRA): action must be one of ${TREATY_ACTIONS.join(', ')}, not "acceptance"`);
  });

  it('refuses a date that is not real, after the as-at date, or before the year of adoption', () => {
    const raw = sample();
    actionsOf(raw)[2] = { state: 'FRA', action: 'signature', date: '1962-04-31' };
    actionsOf(raw)[4] = { state: 'PSE', action: 'accession', date: '2026-07-01' };
    actionsOf(raw, 1)[0] = { state: 'ESP', action: 'accession', date: '1968-12-31' };
    const error = refusal(raw);
    expect(error.problems.map((problem) => problem.field)).toEqual([
      'instruments[0].actions[2].date', 'instruments[0].actions[4].date', 'instruments[1].actions[0].date',
    ]);
    const lines = error.message.split('\n');
    expect(lines[0]).toMatch(/^test\.json: instrument 0 \(vcdr\): action 2 \(FRA\): date 1962-04-31 is not a real calendar date/);
    expect(lines[1]).toBe('test.json: instrument 0 (vcdr): action 4 (PSE): date 2026-07-01 is after the as-at date 2026-06-30');
    expect(lines[2]).toBe('test.json: instrument 1 (special-missions): action 0 (ESP): date 1968-12-31 is before the instrument was adopted (1969)');
  });

  it('refuses a date that is not written YYYY-MM-DD', () => {
    const raw = sample();
    actionsOf(raw)[2] = { state: 'FRA', action: 'signature', date: '30 Mar 1962' };
    expect(refusal(raw).message).toBe('test.json: instrument 0 (vcdr): action 2 (FRA): date must be a date written YYYY-MM-DD');
  });

  it('refuses a second binding action of the same State', () => {
    const raw = sample();
    actionsOf(raw).push({ state: 'CHE', action: 'accession', date: '1970-01-01' });
    expect(refusal(raw).message).toBe(
      'test.json: instrument 0 (vcdr): action 6 (CHE): action accession: CHE is already bound by ratification on 1963-11-22 (action 1); a State becomes bound once',
    );
  });

  it('refuses the same action twice', () => {
    const raw = sample();
    actionsOf(raw).push({ state: 'GHA', action: 'signature', date: '1962-01-01' });
    expect(refusal(raw).message).toBe('test.json: instrument 0 (vcdr): action 6 (GHA): action signature by GHA is already recorded (action 3): the same action twice');
  });

  it('refuses a signature dated after the State was bound, whichever comes first in the list', () => {
    const after = sample();
    actionsOf(after).push({ state: 'PSE', action: 'signature', date: '2025-03-02' });
    expect(refusal(after).message).toBe(
      'test.json: instrument 0 (vcdr): action 6 (PSE): date the signature by PSE on 2025-03-02 is after PSE was bound by accession on 2025-03-01 (action 4)',
    );
    const before = sample();
    actionsOf(before).unshift({ state: 'PSE', action: 'signature', date: '2025-03-02' });
    expect(refusal(before).problems.map((problem) => problem.field)).toEqual(['instruments[0].actions[5].date']);
  });

  it('allows a signature and a binding action on the same day', () => {
    const raw = sample();
    actionsOf(raw).push({ state: 'ESP', action: 'signature', date: '2001-05-31' }, { state: 'ESP', action: 'ratification', date: '2001-05-31' });
    expect(participation(parseInstruments(raw, 'test.json', directory), 'vcdr')).toEqual({ parties: 4, signatoriesOnly: 2, signatories: 4 });
  });

  it('refuses unknown fields and non-object actions, and lists every problem at once', () => {
    const raw = { ...sample(), comment: 'x' };
    actionsOf(raw)[0] = { state: 'CHE', action: 'signature', date: '1961-04-18', note: 'n' };
    actionsOf(raw)[1] = 'CHE ratification';
    const error = refusal(raw);
    expect(error.message.split('\n')).toEqual([
      'test.json: comment is not a known field',
      'test.json: instrument 0 (vcdr): action 0 (CHE): note is not a known field',
      'test.json: instrument 0 (vcdr): action 1 (?): action must be an object with state, action and date, not string "CHE ratification"',
    ]);
    expect(error.problems).toHaveLength(3);
  });
});

describe('loadInstruments', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'instruments-load-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads JSON and YAML files and refuses text that does not parse', () => {
    const json = path.join(dir, 'status.json');
    writeFileSync(json, JSON.stringify(sample()));
    expect(loadInstruments(json, directory)).toEqual(sampleStatus());
    const yaml = path.join(dir, 'status.yaml');
    writeFileSync(yaml, 'asAt: "2026-06-30"\ninstruments:\n  - id: ipp\n    title: T\n    adopted: New York, 14 December 1973\n    actions: []\n');
    expect(loadInstruments(yaml, directory).instruments[0]?.id).toBe('ipp');
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ "asAt": ');
    expect(() => loadInstruments(broken, directory)).toThrow(/broken\.json: not valid JSON/);
    expect(() => loadInstruments(path.join(dir, 'missing.json'), directory)).toThrow(/cannot read the instruments file/);
    expect(() => loadInstruments(path.join(dir, 'status.txt'), directory)).toThrow(/must be a \.json, \.yaml or \.yml file/);
  });
});

describe('participation', () => {
  it('counts States bound and States that only signed, as at a date', () => {
    const status = sampleStatus();
    expect(participation(status, 'vcdr')).toEqual({ parties: 3, signatoriesOnly: 2, signatories: 3 });
    expect(participation(status, 'vcdr', '2026-06-29')).toEqual({ parties: 2, signatoriesOnly: 2, signatories: 3 });
    expect(participation(status, 'vcdr', '1962-01-01')).toEqual({ parties: 0, signatoriesOnly: 2, signatories: 2 });
    expect(participation(status, 'ipp')).toEqual({ parties: 0, signatoriesOnly: 0, signatories: 0 });
  });

  it('refuses an unknown instrument', () => {
    expect(() => participation(sampleStatus(), 'vclt')).toThrow(InstrumentsError);
    expect(() => participation(sampleStatus(), 'vclt')).toThrow(/instrument "vclt" is not an instrument of paragraph 9/);
  });
});

describe('changesBetween', () => {
  const status = sampleStatus();

  it('takes actions after `since` and up to `asAt`, per instrument', () => {
    expect(changesBetween(status, '2025-03-01', '2026-06-30')).toEqual([
      expect.objectContaining({ id: 'vcdr', changes: [{ state: 'TLS', action: 'succession', date: '2026-06-30' }] }),
      expect.objectContaining({ id: 'special-missions', changes: [] }),
      expect.objectContaining({ id: 'ipp', title: expect.stringMatching(/^Convention on the Prevention/) as string, changes: [] }),
    ]);
    expect(changesBetween(status, '2025-02-28', '2026-06-29')[0]?.changes).toEqual([{ state: 'PSE', action: 'accession', date: '2025-03-01' }]);
    expect(changesBetween(status, '2025-02-28', '2026-06-30')[0]?.changes.map((event) => event.state)).toEqual(['PSE', 'TLS']);
    expect(changesBetween(status, '2026-06-30', '2026-06-30')[0]?.changes).toEqual([]);
  });

  it('orders the changes by date', () => {
    expect(changesBetween(status, '1900-01-01', '2026-06-30')[0]?.changes.map((event) => event.date)).toEqual([
      '1961-04-18', '1961-04-18', '1962-03-30', '1963-11-22', '2025-03-01', '2026-06-30',
    ]);
  });

  it('refuses a window that is not two real dates in order', () => {
    expect(() => changesBetween(status, '2026-07-01', '2026-06-30')).toThrow(/since: 2026-07-01 is after asAt 2026-06-30/);
    expect(() => changesBetween(status, '2026-02-30', '2026-06-30')).toThrow(/since: 2026-02-30 is not a real calendar date/);
  });
});

describe('recordAction', () => {
  it('returns a new status with the action in place and the as-at date advanced to today', () => {
    const status = sampleStatus();
    const before = JSON.stringify(status);
    const next = recordAction(status, { instrument: 'vcdr', state: 'FRA', action: 'ratification', date: '2026-11-20' }, '2026-11-28', directory);
    expect(JSON.stringify(status)).toBe(before);
    expect(next.asAt).toBe('2026-11-28');
    expect(next.instruments[0]?.actions.filter((event) => event.state === 'FRA')).toEqual([
      { state: 'FRA', action: 'signature', date: '1962-03-30' },
      { state: 'FRA', action: 'ratification', date: '2026-11-20' },
    ]);
    expect(participation(next, 'vcdr')).toEqual({ parties: 4, signatoriesOnly: 1, signatories: 3 });
    expect(changesBetween(next, '2026-06-30', next.asAt)[0]?.changes).toEqual([{ state: 'FRA', action: 'ratification', date: '2026-11-20' }]);
  });

  it('records a withdrawal of a State bound before it, which is then no longer a party; refuses one of a State never bound', () => {
    const status = recordAction(sampleStatus(), { instrument: 'vcdr', state: 'FRA', action: 'ratification', date: '2026-11-20' }, '2026-11-28', directory);
    const next = recordAction(status, { instrument: 'vcdr', state: 'FRA', action: 'withdrawal', date: '2026-11-27' }, '2026-11-28', directory);
    expect(participation(next, 'vcdr')).toEqual({ parties: 3, signatoriesOnly: 1, signatories: 3 });
    expect(participation(next, 'vcdr', '2026-11-26').parties).toBe(4);
    const error = recordRefusal(sampleStatus(), { instrument: 'ipp', state: 'FRA', action: 'withdrawal', date: '2026-01-05' });
    expect(error.problems).toEqual([{ field: 'action', message: 'withdrawal by FRA on 2026-01-05: FRA was not bound before it' }]);
  });

  it('never moves the as-at date back', () => {
    const next = recordAction(sampleStatus(), { instrument: 'ipp', state: 'FRA', action: 'signature', date: '2026-01-05' }, '2026-06-01', directory);
    expect(next.asAt).toBe('2026-06-30');
  });

  it('refuses an unknown instrument, an unknown State and an unknown action, naming each field', () => {
    const error = recordRefusal(sampleStatus(), { instrument: 'vclt', state: 'ATL', action: 'ratify', date: '2026-11-01' });
    expect(error.problems.map((problem) => problem.field)).toEqual(['instrument', 'state', 'action']);
    expect(error.message).toBe([
      'the action is not valid:',
      '  instrument: "vclt" is not an instrument of paragraph 9 (known: vcdr, special-missions, ipp)',
      '  state: "ATL" is not the ISO 3166-1 alpha-3 code of a State in the directory',
      `  action: must be one of ${TREATY_ACTIONS.join(', ')}, not "ratify"`,
    ].join('\n'));
  });

  it('refuses missing fields, unknown fields and input that is not an object', () => {
    expect(recordRefusal(sampleStatus(), { instrument: 'vcdr', state: 'FRA', when: '2026-01-01' }).problems.map((problem) => problem.field))
      .toEqual(['when', 'action', 'date']);
    expect(recordRefusal(sampleStatus(), 'vcdr FRA').problems).toEqual([{ field: '(root)', message: 'must be an object with instrument, state, action and date' }]);
  });

  it('refuses a date in the future, a date that is not real, and a date before the year of adoption', () => {
    expect(recordRefusal(sampleStatus(), { instrument: 'vcdr', state: 'FRA', action: 'ratification', date: '2026-11-29' }).message)
      .toBe('the action is not valid:\n  date: 2026-11-29 is in the future (today is 2026-11-28)');
    expect(recordRefusal(sampleStatus(), { instrument: 'vcdr', state: 'FRA', action: 'ratification', date: '2026-11-31' }).problems[0]?.field).toBe('date');
    expect(recordRefusal(sampleStatus(), { instrument: 'special-missions', state: 'FRA', action: 'signature', date: '1968-12-08' }).message)
      .toBe('the action is not valid:\n  date: 1968-12-08 is before the instrument was adopted (New York, 8 December 1969)');
  });

  it('refuses a second binding action, the same action twice, and a signature after the State was bound', () => {
    expect(recordRefusal(sampleStatus(), { instrument: 'vcdr', state: 'CHE', action: 'succession', date: '2000-01-01' }).message)
      .toBe('the action is not valid:\n  action: succession: CHE is already bound by ratification on 1963-11-22; a State becomes bound once');
    expect(recordRefusal(sampleStatus(), { instrument: 'vcdr', state: 'GHA', action: 'signature', date: '2000-01-01' }).message)
      .toBe('the action is not valid:\n  action: signature by GHA is already recorded: the same action twice');
    expect(recordRefusal(sampleStatus(), { instrument: 'special-missions', state: 'ESP', action: 'signature', date: '2002-01-01' }).message)
      .toBe('the action is not valid:\n  date: the signature by ESP on 2002-01-01 is after ESP was bound by accession on 2001-05-31');
    expect(recordRefusal(sampleStatus(), { instrument: 'vcdr', state: 'FRA', action: 'ratification', date: '1962-03-29' }).problems)
      .toEqual([{ field: 'date', message: 'the signature by FRA on 1962-03-30 is after FRA was bound by ratification on 1962-03-29' }]);
  });

  it('refuses a today that is not a date', () => {
    expect(recordRefusal(sampleStatus(), { instrument: 'vcdr', state: 'FRA', action: 'ratification', date: '2026-01-01' }, 'today').problems[0]?.field).toBe('today');
  });
});

describe('the instruments client', () => {
  let dataDir: string;
  let baseline: string;
  const options = () => ({ baseline });

  beforeEach(() => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'instruments-client-'));
    dataDir = path.join(root, 'data');
    baseline = path.join(root, 'baseline.json');
    writeFileSync(baseline, formatInstruments(sampleStatus()));
  });
  afterEach(() => rmSync(path.dirname(dataDir), { recursive: true, force: true }));

  it('shows the baseline while there is no working copy', async () => {
    const shown = await showInstruments(dataDir, directory, options());
    expect(shown).toMatchObject({ source: baseline, workingCopy: false, asAt: '2026-06-30' });
    expect(shown.instruments[0]).toMatchObject({ id: 'vcdr', parties: 3, signatoriesOnly: 2 });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('shows the shipped baseline by default', async () => {
    const shown = await showInstruments(dataDir, directory);
    expect(shown.source).toBe(DEFAULT_INSTRUMENTS_PATH);
    expect(shown.instruments).toHaveLength(9);
  });

  it('writes the working copy on the first record, keeping the baseline as the backup', async () => {
    const result = await recordInstrumentAction(dataDir, directory, { instrument: 'vcdr', state: 'FRA', action: 'ratification', date: '2026-11-20' }, '2026-11-28', options());
    expect(result.path).toBe(workingCopyPath(dataDir));
    expect(result.recorded).toEqual({ instrument: 'vcdr', state: 'FRA', action: 'ratification', date: '2026-11-20' });
    expect(readFileSync(backupPath(dataDir), 'utf8')).toBe(readFileSync(baseline, 'utf8'));
    const written = loadInstruments(workingCopyPath(dataDir), directory);
    expect(written).toEqual(result.status);
    expect(written.asAt).toBe('2026-11-28');
    expect(readFileSync(workingCopyPath(dataDir), 'utf8')).toBe(formatInstruments(written));

    const shown = await showInstruments(dataDir, directory, options());
    expect(shown).toMatchObject({ source: workingCopyPath(dataDir), workingCopy: true, asAt: '2026-11-28' });
    expect(shown.instruments[0]).toMatchObject({ parties: 4, signatoriesOnly: 1 });
    expect(readdirSync(dataDir).sort()).toEqual(['instruments.json', 'instruments.json.bak']);
  });

  it('builds a second record on the working copy and keeps the first as the backup', async () => {
    await recordInstrumentAction(dataDir, directory, { instrument: 'vcdr', state: 'FRA', action: 'ratification', date: '2026-11-20' }, '2026-11-28', options());
    const first = readFileSync(workingCopyPath(dataDir), 'utf8');
    await recordInstrumentAction(dataDir, directory, { instrument: 'ipp', state: 'DEU', action: 'signature', date: '2026-11-29' }, '2026-11-30', options());
    expect(readFileSync(backupPath(dataDir), 'utf8')).toBe(first);
    const status = loadInstruments(workingCopyPath(dataDir), directory);
    expect(status.asAt).toBe('2026-11-30');
    expect(participation(status, 'vcdr')).toEqual({ parties: 4, signatoriesOnly: 1, signatories: 3 });
    expect(status.instruments[2]?.actions).toEqual([{ state: 'DEU', action: 'signature', date: '2026-11-29' }]);
  });

  it('refuses bad input with an InputError and leaves every file byte for byte as it was', async () => {
    await recordInstrumentAction(dataDir, directory, { instrument: 'vcdr', state: 'FRA', action: 'ratification', date: '2026-11-20' }, '2026-11-28', options());
    const working = readFileSync(workingCopyPath(dataDir));
    const backup = readFileSync(backupPath(dataDir));
    const attempt = recordInstrumentAction(dataDir, directory, { instrument: 'vcdr', state: 'FRA', action: 'accession', date: '2026-11-21' }, '2026-11-28', options());
    await expect(attempt).rejects.toThrow(InputError);
    await expect(attempt).rejects.toThrow('action: accession: FRA is already bound by ratification on 2026-11-20; a State becomes bound once');
    await expect(attempt).rejects.toMatchObject({ problems: [{ field: 'action' }] });
    expect(readFileSync(workingCopyPath(dataDir)).equals(working)).toBe(true);
    expect(readFileSync(backupPath(dataDir)).equals(backup)).toBe(true);
    expect(readdirSync(dataDir).sort()).toEqual(['instruments.json', 'instruments.json.bak']);
  });

  it('creates nothing when the first record is refused', async () => {
    await expect(recordInstrumentAction(dataDir, directory, { instrument: 'vcdr', state: 'ZZZ', action: 'signature', date: '2026-11-20' }, '2026-11-28', options()))
      .rejects.toThrow(/state: "ZZZ" is not the ISO 3166-1 alpha-3 code/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('turns a malformed working copy into an InputError naming the file', async () => {
    await recordInstrumentAction(dataDir, directory, { instrument: 'vcdr', state: 'FRA', action: 'ratification', date: '2026-11-20' }, '2026-11-28', options());
    writeFileSync(workingCopyPath(dataDir), '{"asAt": "2026-11-31", "instruments": []}');
    const shown = showInstruments(dataDir, directory, options());
    await expect(shown).rejects.toThrow(InputError);
    await expect(shown).rejects.toThrow(/instruments\.json: asAt 2026-11-31 is not a real calendar date/);
    await expect(recordInstrumentAction(dataDir, directory, { instrument: 'ipp', state: 'FRA', action: 'signature', date: '2026-11-20' }, '2026-11-28', options()))
      .rejects.toThrow(InputError);
  });
});
