import {
  type CaseRegistration, type CaseReport, REPORT_KINDS, type ReportKind, VICTIM_KINDS, type Victim, type VictimKind,
} from './case';
import { isoDateProblem } from './dates';
import { EARLIEST_DATE, LIMITS, lengthProblem } from './limits';
import { type Iso3 } from './states';

/** One thing wrong with an input, naming the field it is about. */
export interface Problem {
  field: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** What validation needs to know of the world: which States exist, and today's date at Headquarters. */
export interface ValidationContext {
  isState(code: string): boolean;
  today: string;
}

/** Registry references such as "LA/COD/2026/017": they become workflow ids, so keep them plain. */
export const REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9/._-]{0,79}$/;

const REGISTRATION_FIELDS = [
  'reference', 'reportedBy', 'receivedOn', 'occurredIn', 'occurredOn', 'location', 'victims', 'offenderPresentIn', 'summary', 'circulate',
];

export function checkRegistration(raw: unknown, context: ValidationContext): Checked<CaseRegistration> {
  const read = new Reader(raw, context);
  if (!read.isObject) return { ok: false, problems: [{ field: '(root)', message: 'a case must be an object of fields' }] };
  read.noOtherFields(REGISTRATION_FIELDS);
  const reference = read.text('reference');
  if (reference !== undefined && !REFERENCE_PATTERN.test(reference)) {
    read.problem('reference', `"${reference}" may hold only letters, digits and / . _ - (at most 80 characters, starting with a letter or digit)`);
  }
  const receivedOn = read.pastDate('receivedOn');
  const occurredOn = read.pastDate('occurredOn');
  if (receivedOn && occurredOn && occurredOn > receivedOn) read.problem('occurredOn', `${occurredOn} is after the report was received (${receivedOn})`);
  const registration = {
    reference,
    reportedBy: read.state('reportedBy'),
    receivedOn,
    occurredIn: read.state('occurredIn'),
    occurredOn,
    location: read.text('location', { max: LIMITS.location }),
    victims: read.victims('victims'),
    offenderPresentIn: read.state('offenderPresentIn', { optional: true }),
    summary: read.text('summary', { max: LIMITS.summary }),
    circulate: read.flag('circulate', true),
  };
  if (read.problems.length) return { ok: false, problems: read.problems };
  if (registration.offenderPresentIn === undefined) delete registration.offenderPresentIn;
  return { ok: true, value: registration as CaseRegistration };
}

export function checkReport(raw: unknown, context: ValidationContext): Checked<CaseReport> {
  const read = new Reader(raw, context);
  if (!read.isObject) return { ok: false, problems: [{ field: '(root)', message: 'a report must be an object of fields' }] };
  read.noOtherFields(['from', 'kind', 'receivedOn', 'circulate', 'summary']);
  const report: CaseReport = {
    from: read.state('from') as Iso3,
    kind: read.oneOf('kind', REPORT_KINDS) as ReportKind,
    receivedOn: read.pastDate('receivedOn') as string,
    circulate: read.flag('circulate', true),
  };
  const summary = read.text('summary', { optional: true, max: LIMITS.summary });
  if (summary !== undefined) report.summary = summary;
  return read.problems.length ? { ok: false, problems: read.problems } : { ok: true, value: report };
}

export function describeProblems(problems: readonly Problem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}`).join('\n');
}

/** A report as validation records it (trimmed, circulate true unless given), for one that was judged already. */
export function normalizedReport(report: CaseReport): CaseReport {
  const summary = typeof report.summary === 'string' ? report.summary.trim() : '';
  return { from: report.from.trim(), kind: report.kind.trim() as CaseReport['kind'], receivedOn: report.receivedOn.trim(), circulate: report.circulate ?? true, ...(summary ? { summary } : {}) };
}

/**
 * Reads fields of an untrusted object, collecting every problem rather than stopping at the first.
 * Case files and reports are read here rather than with zod like the product's other data: the same
 * rules judge every update inside the workflow sandbox, where each cached case would carry its own
 * copy of zod's modules (measured: about 560 KiB more per open case).
 */
class Reader {
  readonly problems: Problem[] = [];
  private readonly fields: Record<string, unknown>;
  readonly isObject: boolean;

  constructor(raw: unknown, private readonly context: ValidationContext) {
    this.isObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
    this.fields = this.isObject ? (raw as Record<string, unknown>) : {};
  }

  problem(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  noOtherFields(known: readonly string[]): void {
    for (const field of Object.keys(this.fields)) {
      if (!known.includes(field)) this.problem(field, `unknown field (expected one of: ${known.join(', ')})`);
    }
  }

  /** A non-empty text, trimmed; `max` bounds its length (every free text a person types has one). */
  text(field: string, options: { optional?: boolean; max?: number } = {}, value = this.fields[field]): string | undefined {
    if (value === undefined || value === null) {
      if (!options.optional) this.problem(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.problem(field, 'must be a non-empty text');
      return undefined;
    }
    const tooLong = options.max === undefined ? undefined : lengthProblem(value.trim(), options.max);
    if (tooLong) {
      this.problem(field, tooLong);
      return undefined;
    }
    return value.trim();
  }

  state(field: string, options: { optional?: boolean } = {}, value = this.fields[field]): Iso3 | undefined {
    const code = this.text(field, options, value);
    if (code === undefined) return undefined;
    if (!this.context.isState(code)) {
      this.problem(field, `"${code}" is not the ISO 3166-1 alpha-3 code of a State in the directory`);
      return undefined;
    }
    return code;
  }

  pastDate(field: string): string | undefined {
    const value = this.text(field);
    if (value === undefined) return undefined;
    const problem = isoDateProblem(value);
    if (problem) this.problem(field, problem);
    else if (value > this.context.today) this.problem(field, `${value} is in the future (today is ${this.context.today} at Headquarters)`);
    else if (value < EARLIEST_DATE) this.problem(field, `${value} is before ${EARLIEST_DATE}, when the United Nations came into being`);
    else return value;
    return undefined;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[], value = this.fields[field]): T | undefined {
    const text = this.text(field, {}, value);
    if (text === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(text)) {
      this.problem(field, `"${text}" is not one of: ${allowed.join(', ')}`);
      return undefined;
    }
    return text as T;
  }

  flag(field: string, fallback: boolean): boolean {
    const value = this.fields[field];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.problem(field, 'must be true or false');
    return value === true;
  }

  victims(field: string): Victim[] | undefined {
    const value = this.fields[field];
    if (!Array.isArray(value) || value.length === 0) {
      this.problem(field, 'must be a non-empty list of { kind, state, name? }');
      return undefined;
    }
    if (value.length > LIMITS.victims) {
      this.problem(field, `names ${value.length} victims; at most ${LIMITS.victims} are allowed (name the mission once, not each person)`);
      return undefined;
    }
    return value.map((item: unknown, index) => {
      const at = `${field}[${index}]`;
      const victim = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
      if (victim !== item) this.problem(at, 'must be an object { kind, state, name? }');
      for (const key of Object.keys(victim)) {
        if (!['kind', 'state', 'name'].includes(key)) this.problem(`${at}.${key}`, 'unknown field (expected kind, state, name)');
      }
      const entry: Victim = {
        kind: this.oneOf(`${at}.kind`, VICTIM_KINDS, victim.kind) as VictimKind,
        state: this.state(`${at}.state`, {}, victim.state) as Iso3,
      };
      const name = this.text(`${at}.name`, { optional: true, max: LIMITS.name }, victim.name);
      if (name !== undefined) entry.name = name;
      return entry;
    });
  }
}
