import { DateTime, Duration } from 'luxon';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DURATION_MS = 100 * 366 * 24 * 3600 * 1000;

/** True for a real calendar date written YYYY-MM-DD (2026-04-31 is not one). */
export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

/** Why a string is not an ISO date, or undefined when it is one. */
export function isoDateProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return 'must be a date written YYYY-MM-DD';
  const parsed = DateTime.fromISO(value, { zone: 'UTC' });
  if (!parsed.isValid) return `${value} is not a real calendar date (${parsed.invalidExplanation ?? parsed.invalidReason ?? 'invalid'})`;
  return undefined;
}

/** A positive ISO 8601 duration such as P60D, PT5M or P1Y; undefined when the text is not one. */
export function parseDuration(value: unknown): Duration | undefined {
  if (typeof value !== 'string') return undefined;
  const duration = Duration.fromISO(value);
  // ISO 8601 has no negative parts: P1DT-23H is not a duration a person means.
  if (!duration.isValid || Object.values(duration.toObject()).some((part) => part < 0) || duration.toMillis() <= 0) return undefined;
  // A century bounds every period the resolution could mean, and keeps date arithmetic in range.
  if (duration.toMillis() > MAX_DURATION_MS) return undefined;
  return duration;
}

/** The calendar date of an instant in a zone. */
export function localDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISODate() ?? '';
}

/** The last millisecond of a local date in a zone: deadlines are due at the end of their day. */
export function endOfLocalDate(isoDate: string, zone: string): Date {
  return DateTime.fromISO(isoDate, { zone }).endOf('day').toJSDate();
}

export function isValidZone(zone: unknown): zone is string {
  return typeof zone === 'string' && DateTime.now().setZone(zone).isValid;
}
