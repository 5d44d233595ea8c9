import { z } from 'zod';
import { type CaseRegistration, type CaseReport, REPORT_KINDS, VICTIM_KINDS } from './case';
import { isoDateProblem } from './dates';
import { EARLIEST_DATE, LIMITS, lengthProblem } from './limits';
import { issuesOf, whenAbsent } from './schema';

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

const absentOr = (absent: string, otherwise: string) => ({ error: whenAbsent(absent, () => otherwise) });

/** A non-empty text, trimmed, at most `max` characters when given: every free text a person types has a bound. */
function text(max?: number) {
  // An empty text is one problem: the checks after it are not run.
  const trimmed = z.string(absentOr('is required', 'must be a non-empty text')).trim().min(1, { error: 'must be a non-empty text', abort: true });
  return max === undefined ? trimmed : trimmed.refine((value) => !lengthProblem(value, max), { error: (issue) => lengthProblem(String(issue.input), max) ?? '' });
}

/** A field given as null is absent, as YAML writes an empty value: required, or left out when optional. */
const nullAbsent = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === null ? undefined : value), schema);

/** The schemas of a case file and of a later report, for what validation knows of the world. */
function schemas(context: ValidationContext) {
  const state = text().refine((code) => context.isState(code), { error: (issue) => `"${String(issue.input)}" is not the ISO 3166-1 alpha-3 code of a State in the directory` });
  const pastDate = text().superRefine((value, ctx) => {
    const problem = isoDateProblem(value)
      ?? (value > context.today ? `${value} is in the future (today is ${context.today} at Headquarters)` : undefined)
      ?? (value < EARLIEST_DATE ? `${value} is before ${EARLIEST_DATE}, when the United Nations came into being` : undefined);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
  });
  const oneOf = <T extends string>(values: readonly [T, ...T[]]) => text().pipe(z.enum(values, { error: (issue) => `"${String(issue.input)}" is not one of: ${values.join(', ')}` }));
  const flag = z.boolean({ error: 'must be true or false' }).default(true);
  const fields = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape, { error: () => `unknown field (expected one of: ${Object.keys(shape).join(', ')})` });

  const victim = z.strictObject({
    kind: nullAbsent(oneOf(VICTIM_KINDS)),
    state: nullAbsent(state),
    name: nullAbsent(text(LIMITS.name).optional()),
  }, { error: (issue) => (issue.code === 'unrecognized_keys' ? 'unknown field (expected kind, state, name)' : 'must be an object { kind, state, name? }') });
  const victims = z.array(victim, { error: 'must be a non-empty list of { kind, state, name? }' })
    .min(1, { error: 'must be a non-empty list of { kind, state, name? }' })
    .max(LIMITS.victims, { error: (issue) => `names ${(issue.input as unknown[]).length} victims; at most ${LIMITS.victims} are allowed (name the mission once, not each person)` });

  return {
    pastDate,
    registration: fields({
      reference: nullAbsent(text().regex(REFERENCE_PATTERN, { error: (issue) => `"${String(issue.input)}" may hold only letters, digits and / . _ - (at most 80 characters, starting with a letter or digit)` })),
      reportedBy: nullAbsent(state),
      receivedOn: nullAbsent(pastDate),
      occurredIn: nullAbsent(state),
      occurredOn: nullAbsent(pastDate),
      location: nullAbsent(text(LIMITS.location)),
      victims,
      offenderPresentIn: nullAbsent(state.optional()),
      summary: nullAbsent(text(LIMITS.summary)),
      circulate: flag,
    }),
    report: fields({
      from: nullAbsent(state),
      kind: nullAbsent(oneOf(REPORT_KINDS)),
      receivedOn: nullAbsent(pastDate),
      circulate: flag,
      summary: nullAbsent(text(LIMITS.summary).optional()),
    }),
  };
}

const isObject = (raw: unknown): raw is Record<string, unknown> => typeof raw === 'object' && raw !== null && !Array.isArray(raw);

function checked<T>(schema: z.ZodType<T>, raw: unknown): Checked<T> {
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, value: withoutAbsent(parsed.data) } : { ok: false, problems: issuesOf(parsed.error).map((issue) => ({ field: issue.path || '(root)', message: issue.message })) };
}

/** An absent optional field is left out, not kept as undefined: the registration's fingerprint depends on it. */
function withoutAbsent<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutAbsent) as T;
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined).map(([key, field]) => [key, withoutAbsent(field)])) as T;
}

export function checkRegistration(raw: unknown, context: ValidationContext): Checked<CaseRegistration> {
  if (!isObject(raw)) return { ok: false, problems: [{ field: '(root)', message: 'a case must be an object of fields' }] };
  const { registration, pastDate } = schemas(context);
  const result = checked(registration, raw);
  // The order of the two dates is a problem of its own, found whenever both dates are good.
  const received = pastDate.safeParse(raw.receivedOn);
  const occurred = pastDate.safeParse(raw.occurredOn);
  if (!received.success || !occurred.success || occurred.data <= received.data) return result;
  const problem = { field: 'occurredOn', message: `${occurred.data} is after the report was received (${received.data})` };
  return { ok: false, problems: [...(result.ok ? [] : result.problems), problem] };
}

export function checkReport(raw: unknown, context: ValidationContext): Checked<CaseReport> {
  if (!isObject(raw)) return { ok: false, problems: [{ field: '(root)', message: 'a report must be an object of fields' }] };
  return checked(schemas(context).report, raw);
}

export function describeProblems(problems: readonly Problem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}`).join('\n');
}

/** A report as validation records it (trimmed, circulate true unless given), for one that was judged already. */
export function normalizedReport(report: CaseReport): CaseReport {
  const summary = typeof report.summary === 'string' ? report.summary.trim() : '';
  return { from: report.from.trim(), kind: report.kind.trim() as CaseReport['kind'], receivedOn: report.receivedOn.trim(), circulate: report.circulate ?? true, ...(summary ? { summary } : {}) };
}
