import { DateTime, type Duration } from 'luxon';
import { type DeadlinePolicy } from './policy';

type CalendarPolicy = Pick<DeadlinePolicy, 'workingDays' | 'zone' | 'holidays'>;

/** Saturday and Sunday are not working days at Headquarters; neither are the policy's holidays. */
export function isWorkingDay(day: DateTime, holidays: readonly string[]): boolean {
  return day.weekday <= 5 && !holidays.includes(day.toISODate() ?? '');
}

/**
 * When a period that starts at `from` ends. Durations are added in the policy's zone, so P1D
 * across a daylight-saving change is still one calendar day. With working days, the result rolls
 * to the end of that day, or of the next working day when it falls on a weekend or holiday.
 */
export function periodEnd(from: Date, period: Duration, policy: CalendarPolicy): Date {
  const end = DateTime.fromJSDate(from, { zone: policy.zone }).plus(period);
  return policy.workingDays ? endOfWorkingDay(end, policy.holidays) : end.toJSDate();
}

/**
 * The same, backwards, for a legal officer shortening a deadline: with working days the result
 * rolls back to the end of that day, or of the working day before it.
 */
export function periodStart(to: Date, period: Duration, policy: CalendarPolicy): Date {
  const start = DateTime.fromJSDate(to, { zone: policy.zone }).minus(period);
  return policy.workingDays ? endOfWorkingDay(start, policy.holidays, -1) : start.toJSDate();
}

/** With working days, an instant rolls to the end of its day, or of the next working day; without, it stays. */
export function dueInstant(at: Date, policy: CalendarPolicy): Date {
  return policy.workingDays ? endOfWorkingDay(DateTime.fromJSDate(at, { zone: policy.zone }), policy.holidays) : at;
}

function endOfWorkingDay(at: DateTime, holidays: readonly string[], direction: 1 | -1 = 1): Date {
  let day = at.startOf('day');
  // A year of consecutive holidays would be a data error; the bound keeps a bad list from hanging a workflow.
  for (let i = 0; i < 366 && !isWorkingDay(day, holidays); i++) day = day.plus({ days: direction });
  return day.endOf('day').toJSDate();
}
