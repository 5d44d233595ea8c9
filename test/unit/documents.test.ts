import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CASE_WORKFLOW_TYPE } from '../../clients/case-list';
import { caseListQuery, digestOf } from '../../clients/cases';
import { parseDocument, readDocument } from '../../clients/documents';
import { InputError, isUserError } from '../../clients/errors';

const CASE = { reference: 'LA/COD/2026/017', reportedBy: 'FRA', victims: [{ kind: 'official', state: 'FRA' }], circulate: false };
const CASE_JSON = JSON.stringify(CASE, null, 2);
const CASE_YAML = [
  'reference: LA/COD/2026/017',
  'reportedBy: FRA',
  'victims:',
  '  - kind: official',
  '    state: FRA',
  'circulate: false',
  '',
].join('\n');

function inputError(act: () => unknown): InputError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect(isUserError(error)).toBe(true);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseDocument', () => {
  it('parses JSON in a .json file', () => {
    expect(parseDocument(CASE_JSON, 'case.json')).toEqual(CASE);
  });

  it('parses YAML in a .yaml or .yml file', () => {
    expect(parseDocument(CASE_YAML, 'case.yaml')).toEqual(CASE);
    expect(parseDocument(CASE_YAML, 'case.yml')).toEqual(CASE);
  });

  it('reads the extension whatever its case', () => {
    expect(parseDocument(CASE_JSON, 'CASE.JSON')).toEqual(CASE);
    expect(parseDocument(CASE_YAML, 'Case.YAML')).toEqual(CASE);
  });

  it('keeps a date-like YAML value as the text written', () => {
    // Dates are validated as YYYY-MM-DD text: YAML must not turn them into Date objects.
    expect(parseDocument('receivedOn: 2026-11-20\n', 'case.yaml')).toEqual({ receivedOn: '2026-11-20' });
  });

  it('refuses YAML in a .json file, naming the file', () => {
    const error = inputError(() => parseDocument(CASE_YAML, 'case.json'));
    expect(error.message).toMatch(/^case\.json is not a JSON or YAML object/);
  });

  it('sniffs the content of a file with no extension: JSON or YAML', () => {
    expect(parseDocument(CASE_JSON, 'case')).toEqual(CASE);
    expect(parseDocument(CASE_YAML, 'case')).toEqual(CASE);
    expect(parseDocument(CASE_YAML, '/dev/stdin')).toEqual(CASE);
  });

  it('sniffs the content of a file with another extension', () => {
    expect(parseDocument(CASE_YAML, 'case.txt')).toEqual(CASE);
  });

  it('refuses text that is neither JSON nor YAML, naming the file', () => {
    const error = inputError(() => parseDocument('{ "reference": "LA/1", : ]\n\tkey: [unclosed', 'report'));
    expect(error.message).toMatch(/^report is not a JSON or YAML object/);
  });

  it.each([
    ['a YAML list', '- reference: LA/1\n- reference: LA/2\n', 'list.yaml'],
    ['a YAML scalar', 'just a sentence\n', 'scalar.yaml'],
    ['a JSON list', '[{"reference":"LA/1"}]', 'list.json'],
    ['a JSON number', '42', 'number.json'],
    ['JSON null', 'null', 'null.json'],
    ['an empty file', '', 'empty.yaml'],
    ['an empty file without extension', '', 'empty'],
    ['a scalar without extension', 'hello', 'scalar'],
  ])('refuses %s as not an object of fields, naming the file', (_label, text, name) => {
    const error = inputError(() => parseDocument(text, name));
    expect(error.message).toContain(`${name} is not a JSON or YAML object`);
  });
});

describe('readDocument', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'obligations-documents-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads JSON and YAML files by extension', () => {
    expect(readDocument(write('case.json', CASE_JSON))).toEqual(CASE);
    expect(readDocument(write('case.yaml', CASE_YAML))).toEqual(CASE);
  });

  it('reads an extension-less file by its content', () => {
    expect(readDocument(write('case', CASE_YAML))).toEqual(CASE);
  });

  it('refuses a file that is neither, naming it', () => {
    const file = write('notes.json', 'Dear Permanent Mission,\n');
    expect(inputError(() => readDocument(file)).message).toContain(`${file} is not a JSON or YAML object`);
  });

  it('refuses a YAML list, naming the file', () => {
    const file = write('list.yml', '- a\n- b\n');
    expect(inputError(() => readDocument(file)).message).toContain(file);
  });

  it("refuses a missing file: 'no such file', naming it", () => {
    const file = path.join(dir, 'absent.yaml');
    expect(inputError(() => readDocument(file)).message).toBe(`cannot read ${file}: no such file`);
  });

  it('refuses a folder, naming it', () => {
    const folder = path.join(dir, 'folder.yaml');
    mkdirSync(folder);
    expect(inputError(() => readDocument(folder)).message).toMatch(new RegExp(`^cannot read ${folder.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
  });
});

describe('caseListQuery', () => {
  const NOW = new Date('2027-02-01T15:00:00.000Z');
  // Runs that continued as new are left out: each case is listed once, by its latest run.
  const ALL = "WorkflowType = 'caseWorkflow' AND ExecutionStatus != 'ContinuedAsNew'";

  it('with no filter, lists the case workflows', () => {
    expect(caseListQuery({}, NOW)).toBe(ALL);
  });

  it("names the case workflow's type as the workflow function is named", async () => {
    const { caseWorkflow } = await import('../../workflows/case/workflow');
    expect(caseWorkflow.name).toBe(CASE_WORKFLOW_TYPE);
  });

  it('filters on status', () => {
    expect(caseListQuery({ status: 'awaiting-report' }, NOW)).toBe(`${ALL} AND ObligationsStatus = 'awaiting-report'`);
  });

  it('accepts every case status of the contract', () => {
    for (const status of ['awaiting-report', 'awaiting-follow-up', 'paused', 'unresponsive', 'concluded', 'closed']) {
      expect(caseListQuery({ status }, NOW)).toContain(`ObligationsStatus = '${status}'`);
    }
  });

  it('filters on host State', () => {
    expect(caseListQuery({ state: 'ARG' }, NOW)).toBe(`${ALL} AND ObligationsHostState = 'ARG'`);
  });

  it('filters on overdue: the next due date is before now', () => {
    expect(caseListQuery({ overdue: true }, NOW)).toBe(`${ALL} AND ObligationsNextDue < '2027-02-01T15:00:00.000Z'`);
    expect(caseListQuery({ overdue: false }, NOW)).toBe(ALL);
  });

  it('filters on failed notes and on attention notes awaiting a decision', () => {
    expect(caseListQuery({ failedNotes: true }, NOW)).toBe(`${ALL} AND ObligationsFailedNotes > 0`);
    expect(caseListQuery({ attentionPending: true }, NOW)).toBe(`${ALL} AND ObligationsAttentionPending = true`);
  });

  it('combines the filters with AND', () => {
    expect(caseListQuery({ status: 'unresponsive', state: 'URY', overdue: true }, NOW)).toBe(
      `${ALL} AND ObligationsStatus = 'unresponsive' AND ObligationsHostState = 'URY' AND ObligationsNextDue < '2027-02-01T15:00:00.000Z'`,
    );
  });

  it.each(['open', 'Paused', 'overdue', '', "closed' OR 'a'='a"])('refuses the status %j with InputError naming --status', (status) => {
    const error = inputError(() => caseListQuery({ status }, NOW));
    expect(error.message).toMatch(/^--status: /);
    expect(error.message).toContain('awaiting-report');
  });

  it.each(['arg', 'AR', 'ARGE', 'A1G', '', "ARG' OR 'a'='a"])('refuses the State %j with InputError naming --state', (state) => {
    const error = inputError(() => caseListQuery({ state }, NOW));
    expect(error.message).toMatch(/^--state: .*ISO 3166-1 alpha-3/);
  });
});

describe('digestOf', () => {
  it('is a short hexadecimal fingerprint', () => {
    expect(digestOf(CASE)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('ignores key order, at every depth', () => {
    const reordered = { circulate: false, victims: [{ state: 'FRA', kind: 'official' }], reportedBy: 'FRA', reference: 'LA/COD/2026/017' };
    expect(digestOf(reordered)).toBe(digestOf(CASE));
  });

  it('is the same for the same content read from JSON and from YAML', () => {
    expect(digestOf(parseDocument(CASE_YAML, 'case.yaml'))).toBe(digestOf(parseDocument(CASE_JSON, 'case.json')));
  });

  it('changes with any change of content', () => {
    const base = digestOf(CASE);
    expect(digestOf({ ...CASE, circulate: true })).not.toBe(base);
    expect(digestOf({ ...CASE, reference: 'LA/COD/2026/018' })).not.toBe(base);
    expect(digestOf({ ...CASE, victims: [{ kind: 'official', state: 'ARG' }] })).not.toBe(base);
    expect(digestOf({ ...CASE, summary: 'added' })).not.toBe(base);
  });

  it('distinguishes the order of a list', () => {
    expect(digestOf({ list: ['FRA', 'ARG'] })).not.toBe(digestOf({ list: ['ARG', 'FRA'] }));
  });

  it('distinguishes a number from its text', () => {
    expect(digestOf({ n: 1 })).not.toBe(digestOf({ n: '1' }));
  });

  it('does not confuse a key with the content of a value', () => {
    expect(digestOf({ a: 'b', c: 'd' })).not.toBe(digestOf({ a: 'b,"c":"d"' }));
  });
});
