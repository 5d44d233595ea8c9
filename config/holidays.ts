import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isIsoDate, parseDuration } from '../domain/dates';
import { describeYears, type HeadquartersCalendar, headquartersHolidays, type HolidayData } from '../domain/holidays';
import { ConfigError } from './load';
import { packagePath } from './package-root';

export const HOLIDAYS_PATH = packagePath('config', 'holidays.json');

const schema = z.strictObject({
  about: z.string(),
  years: z.record(z.string().regex(/^\d{4}$/, 'a year is four digits'), z.strictObject({
    source: z.string().min(1),
    complete: z.boolean(),
    note: z.string().optional(),
    days: z.array(z.strictObject({ date: z.string().refine(isIsoDate, 'not a real date written YYYY-MM-DD'), name: z.string().min(1) })),
  })),
});

let shipped: HolidayData | undefined;

/** The shipped official holidays at Headquarters, checked once: each day a real date in its own year. */
export function loadHolidayData(path = HOLIDAYS_PATH): HolidayData {
  if (path === HOLIDAYS_PATH && shipped) return shipped;
  const parsed = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new ConfigError(`${path} is not a holiday list: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  for (const [year, entry] of Object.entries(parsed.data.years)) {
    const stray = entry.days.find((day) => !day.date.startsWith(`${year}-`));
    if (stray) throw new ConfigError(`${path}: ${stray.date} (${stray.name}) is listed under ${year}`);
  }
  if (path === HOLIDAYS_PATH) shipped = parsed.data;
  return parsed.data;
}

/**
 * The years a new case's deadlines can fall in: from last year (a report received late) to the
 * horizon a legal officer may set a date to, and one more for a reminder after it.
 */
export function holidayYears(now: Date, horizon: string): { from: number; to: number } {
  const year = now.getUTCFullYear();
  const ahead = Math.min(Math.ceil(parseDuration(horizon)?.as('years') ?? 10), 100);
  return { from: year - 1, to: year + ahead + 1 };
}

/** Headquarters' calendar over those years, from the shipped data and the rule for the years it lacks. */
export function headquartersCalendar(horizon: string, now = new Date()): HeadquartersCalendar {
  const { from, to } = holidayYears(now, horizon);
  return headquartersHolidays(loadHolidayData(), from, to);
}

/**
 * What the worker says at start about the calendar its new cases take: the years from a circular, and
 * a warning naming each year whose Eids are not known yet, so that no year passes for complete unsaid.
 */
export function holidayNotice(deadlines: { headquartersHolidays: boolean; horizon: string; holidays: string[] }, now = new Date()): { line: string; warning?: string } {
  if (!deadlines.headquartersHolidays) return { line: `only deadlines.holidays (${deadlines.holidays.length} dates): Headquarters' official holidays are off`, warning: "deadlines.headquartersHolidays is off: only the configured holidays close Headquarters" };
  const calendar = headquartersCalendar(deadlines.horizon, now);
  const loaded = calendar.loaded.length ? `from the circulars for ${describeYears(calendar.loaded)}` : 'from no circular';
  const line = `official holidays at Headquarters ${loaded}${deadlines.holidays.length ? `, with ${deadlines.holidays.length} more from deadlines.holidays` : ''}`;
  if (calendar.provisional.length === 0) return { line };
  return {
    line,
    warning: `provisional for ${describeYears(calendar.provisional)}: the seven fixed days are derived by rule, the two Eids are not known until the year's ST/IC circular is added (deadlines.holidays, or ${HOLIDAYS_PATH})`,
  };
}
