import { DateTime, Duration } from 'luxon';
import { isWorkingDay, periodEnd, periodStart } from '../../domain/calendar';
import { endOfLocalDate, isIsoDate, isoDateProblem, isValidZone, localDate, parseDuration } from '../../domain/dates';

const NY = 'America/New_York';
const workingNY = { workingDays: true, zone: NY, holidays: [] as string[] };
const exactNY = { workingDays: false, zone: NY, holidays: [] as string[] };

const iso = (at: Date) => at.toISOString();
const days = (n: number) => Duration.fromObject({ days: n });

describe('isWorkingDay', () => {
  const day = (date: string) => DateTime.fromISO(date, { zone: NY });

  it('counts Monday to Friday as working days', () => {
    // 2026-11-30 is a Monday, 2026-12-04 a Friday.
    for (const date of ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']) {
      expect(isWorkingDay(day(date), [])).toBe(true);
    }
  });

  it('does not count Saturday or Sunday', () => {
    expect(isWorkingDay(day('2026-12-05'), [])).toBe(false);
    expect(isWorkingDay(day('2026-12-06'), [])).toBe(false);
  });

  it('does not count a weekday on the holiday list, and only that one', () => {
    expect(isWorkingDay(day('2026-12-25'), ['2026-12-25'])).toBe(false);
    expect(isWorkingDay(day('2026-12-24'), ['2026-12-25'])).toBe(true);
  });

  it('reads the date in the zone of the instant, not in UTC', () => {
    // 2026-11-28T03:00Z is Friday 22:00 in New York but already Saturday in UTC.
    const instant = new Date('2026-11-28T03:00:00Z');
    expect(isWorkingDay(DateTime.fromJSDate(instant, { zone: NY }), [])).toBe(true);
    expect(isWorkingDay(DateTime.fromJSDate(instant, { zone: 'UTC' }), [])).toBe(false);
  });
});

describe('periodEnd with working days', () => {
  it('P60D from Friday 2026-11-27 10:00 New York is due at the end of Tuesday 2027-01-26 New York', () => {
    // Nov 27 + 3 = Nov 30, + 31 = Dec 31, + 26 = Jan 26: 60 days; Jan 26, 2027 is a Tuesday (EST, UTC-5).
    const from = new Date('2026-11-27T15:00:00Z');
    expect(iso(periodEnd(from, Duration.fromISO('P60D'), workingNY))).toBe('2027-01-27T04:59:59.999Z');
  });

  it('is due at the end of the same working day when the period ends on one', () => {
    // Monday 2026-11-30 10:00 + P1D = Tuesday 2026-12-01: due 23:59:59.999 EST that day.
    expect(iso(periodEnd(new Date('2026-11-30T15:00:00Z'), days(1), workingNY))).toBe('2026-12-02T04:59:59.999Z');
  });

  it('rolls a Saturday to the end of the following Monday', () => {
    // Monday 2026-11-30 + 5 days = Saturday 2026-12-05 -> Monday 2026-12-07.
    expect(iso(periodEnd(new Date('2026-11-30T15:00:00Z'), days(5), workingNY))).toBe('2026-12-08T04:59:59.999Z');
  });

  it('rolls a Sunday to the end of the following Monday', () => {
    // Monday 2026-11-30 + 6 days = Sunday 2026-12-06 -> Monday 2026-12-07.
    expect(iso(periodEnd(new Date('2026-11-30T15:00:00Z'), days(6), workingNY))).toBe('2026-12-08T04:59:59.999Z');
  });

  it('rolls further past holidays on the list', () => {
    // Saturday 2026-12-05 -> Monday 2026-12-07 is a holiday -> Tuesday 2026-12-08.
    const policy = { ...workingNY, holidays: ['2026-12-07'] };
    expect(iso(periodEnd(new Date('2026-11-30T15:00:00Z'), days(5), policy))).toBe('2026-12-09T04:59:59.999Z');
  });

  it('rolls over a holiday followed by a weekend', () => {
    // Thursday 2026-12-24 10:00 + P1D = Friday 2026-12-25 (holiday) -> Sat, Sun -> Monday 2026-12-28.
    const policy = { ...workingNY, holidays: ['2026-12-25'] };
    expect(iso(periodEnd(new Date('2026-12-24T15:00:00Z'), days(1), policy))).toBe('2026-12-29T04:59:59.999Z');
  });

  it('ignores holidays that fall elsewhere', () => {
    const policy = { ...workingNY, holidays: ['2026-12-25', '2027-01-01'] };
    expect(iso(periodEnd(new Date('2026-11-30T15:00:00Z'), days(1), policy))).toBe('2026-12-02T04:59:59.999Z');
  });

  it('is due at 03:59:59.999Z under daylight time and 04:59:59.999Z under standard time', () => {
    // Wednesday 2026-07-01 10:00 EDT + P1D = Thursday 2026-07-02, UTC-4.
    expect(iso(periodEnd(new Date('2026-07-01T14:00:00Z'), days(1), workingNY))).toBe('2026-07-03T03:59:59.999Z');
    // Wednesday 2026-12-02 10:00 EST + P1D = Thursday 2026-12-03, UTC-5.
    expect(iso(periodEnd(new Date('2026-12-02T15:00:00Z'), days(1), workingNY))).toBe('2026-12-04T04:59:59.999Z');
  });

  it('takes the date in the policy zone: the same instant gives a different day in UTC', () => {
    // 2026-11-28T03:00Z is Friday 22:00 in New York (+P1D = Saturday -> Monday 2026-11-30 NY),
    // and Saturday 03:00 in UTC (+P1D = Sunday -> Monday 2026-11-30 UTC).
    const from = new Date('2026-11-28T03:00:00Z');
    expect(iso(periodEnd(from, days(1), workingNY))).toBe('2026-12-01T04:59:59.999Z');
    expect(iso(periodEnd(from, days(1), { ...workingNY, zone: 'UTC' }))).toBe('2026-11-30T23:59:59.999Z');
    // A zone east of UTC: Tokyo (UTC+9, no daylight time); the instant is Saturday 12:00 there.
    expect(iso(periodEnd(from, days(2), { ...workingNY, zone: 'Asia/Tokyo' }))).toBe('2026-11-30T14:59:59.999Z');
  });

  it('rolls across the spring-forward change to the end of the local day', () => {
    // Friday 2027-03-12 10:00 EST + P1D = Saturday 13 -> Monday 2027-03-15, now EDT (UTC-4).
    expect(iso(periodEnd(new Date('2027-03-12T15:00:00Z'), days(1), workingNY))).toBe('2027-03-16T03:59:59.999Z');
  });

  it('a period that ends on a working day with a short time of day still ends at the end of that day', () => {
    // Monday 2026-11-30 00:30 EST + PT1H = 01:30 same day -> end of Monday 2026-11-30.
    expect(iso(periodEnd(new Date('2026-11-30T05:30:00Z'), Duration.fromISO('PT1H'), workingNY))).toBe('2026-12-01T04:59:59.999Z');
  });
});

describe('periodEnd without working days', () => {
  it('returns the exact instant: PT5M is five minutes', () => {
    const from = new Date('2026-12-05T15:00:00Z'); // a Saturday: no rolling without working days
    expect(periodEnd(from, Duration.fromISO('PT5M'), exactNY).getTime() - from.getTime()).toBe(5 * 60_000);
  });

  it('returns the exact instant: PT30S is thirty seconds', () => {
    const from = new Date('2026-12-05T15:00:00.250Z');
    expect(iso(periodEnd(from, Duration.fromISO('PT30S'), exactNY))).toBe('2026-12-05T15:00:30.250Z');
  });

  it('P60D keeps the time of day and lands on a weekend if the count says so', () => {
    // Monday 2026-11-30 10:00 EST + 60 days = Friday 2027-01-29 10:00 EST; + 61 = Saturday 2027-01-30.
    expect(iso(periodEnd(new Date('2026-11-30T15:00:00Z'), days(60), exactNY))).toBe('2027-01-29T15:00:00.000Z');
    expect(iso(periodEnd(new Date('2026-11-30T15:00:00Z'), days(61), exactNY))).toBe('2027-01-30T15:00:00.000Z');
  });

  it('P1D over the 2027-03-14 spring-forward keeps the local time (23 hours elapse)', () => {
    // Saturday 2027-03-13 10:00 EST (15:00Z) + P1D = Sunday 2027-03-14 10:00 EDT (14:00Z).
    const from = new Date('2027-03-13T15:00:00Z');
    const end = periodEnd(from, days(1), exactNY);
    expect(iso(end)).toBe('2027-03-14T14:00:00.000Z');
    expect(end.getTime() - from.getTime()).toBe(23 * 3_600_000);
  });

  it('P1D over the 2026-11-01 fall-back keeps the local time (25 hours elapse)', () => {
    // Saturday 2026-10-31 10:00 EDT (14:00Z) + P1D = Sunday 2026-11-01 10:00 EST (15:00Z).
    const from = new Date('2026-10-31T14:00:00Z');
    const end = periodEnd(from, days(1), exactNY);
    expect(iso(end)).toBe('2026-11-01T15:00:00.000Z');
    expect(end.getTime() - from.getTime()).toBe(25 * 3_600_000);
  });

  it('PT24H over the spring-forward is 24 elapsed hours, not a calendar day', () => {
    const from = new Date('2027-03-13T15:00:00Z');
    expect(iso(periodEnd(from, Duration.fromISO('PT24H'), exactNY))).toBe('2027-03-14T15:00:00.000Z');
  });

  it('P1M from 31 January ends on the last day of February', () => {
    // 2027-01-31 10:00 EST + P1M = 2027-02-28 10:00 EST (2027 is not a leap year).
    expect(iso(periodEnd(new Date('2027-01-31T15:00:00Z'), Duration.fromISO('P1M'), exactNY))).toBe('2027-02-28T15:00:00.000Z');
  });
});

describe('periodStart', () => {
  it('without working days, goes back the exact period', () => {
    // Tuesday 2027-01-26 23:59:59.999 EST - P30D = Sunday 2026-12-27 23:59:59.999 EST.
    const due = new Date('2027-01-27T04:59:59.999Z');
    expect(iso(periodStart(due, days(30), exactNY))).toBe('2026-12-28T04:59:59.999Z');
    expect(periodStart(new Date('2026-12-05T15:00:00Z'), Duration.fromISO('PT5M'), exactNY).toISOString()).toBe('2026-12-05T14:55:00.000Z');
  });

  it('with working days, lands on the end of a working day', () => {
    // Tuesday 2027-01-26 end - P7D = Tuesday 2027-01-19, a working day: end of that day.
    const due = new Date('2027-01-27T04:59:59.999Z');
    expect(iso(periodStart(due, days(7), workingNY))).toBe('2027-01-20T04:59:59.999Z');
  });

  it('with working days, a weekend result rolls back to the end of the working day before', () => {
    // Tuesday 2027-01-26 end - P3D = Saturday 2027-01-23 -> back to Friday 2027-01-22, whose end is 04:59:59.999Z on the 23rd.
    const due = new Date('2027-01-27T04:59:59.999Z');
    expect(iso(periodStart(due, days(3), workingNY))).toBe('2027-01-23T04:59:59.999Z');
  });

  it('going back over the spring-forward change keeps whole calendar days', () => {
    // Monday 2027-03-15 10:00 EDT (14:00Z) - P1D = Sunday 2027-03-14 10:00 EDT (14:00Z), - P2D = Saturday 10:00 EST (15:00Z).
    const to = new Date('2027-03-15T14:00:00Z');
    expect(iso(periodStart(to, days(1), exactNY))).toBe('2027-03-14T14:00:00.000Z');
    expect(iso(periodStart(to, days(2), exactNY))).toBe('2027-03-13T15:00:00.000Z');
  });
});

describe('dates: isoDateProblem and isIsoDate', () => {
  it('accepts real dates', () => {
    for (const date of ['2026-04-30', '2028-02-29', '2026-12-31', '2027-01-01']) {
      expect(isoDateProblem(date)).toBeUndefined();
      expect(isIsoDate(date)).toBe(true);
    }
  });

  it('refuses 31 April as not a real calendar date', () => {
    expect(isoDateProblem('2026-04-31')).toMatch(/2026-04-31 is not a real calendar date/);
    expect(isIsoDate('2026-04-31')).toBe(false);
  });

  it('refuses 29 February in a common year and accepts it in a leap year', () => {
    expect(isoDateProblem('2026-02-29')).toMatch(/not a real calendar date/);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isoDateProblem('2028-02-29')).toBeUndefined();
    expect(isIsoDate('2028-02-29')).toBe(true);
  });

  it('refuses 30 February, month 13 and day 00', () => {
    for (const date of ['2026-02-30', '2026-13-01', '2026-01-00']) {
      expect(isoDateProblem(date)).toMatch(/not a real calendar date/);
      expect(isIsoDate(date)).toBe(false);
    }
  });

  it('refuses text that is not written YYYY-MM-DD', () => {
    for (const value of ['yesterday', '2026-1-5', '2026/01/05', '05-01-2026', '2026-01-05T00:00:00Z', ' 2026-01-05', '']) {
      expect(isoDateProblem(value)).toBe('must be a date written YYYY-MM-DD');
      expect(isIsoDate(value)).toBe(false);
    }
  });

  it('refuses values that are not text', () => {
    for (const value of [20260105, null, undefined, new Date('2026-01-05'), {}]) {
      expect(isoDateProblem(value)).toBe('must be a date written YYYY-MM-DD');
      expect(isIsoDate(value)).toBe(false);
    }
  });
});

describe('dates: local dates in a zone', () => {
  it('localDate gives the calendar date at Headquarters, not in UTC', () => {
    // 2026-11-28T03:00Z is still 27 November in New York.
    expect(localDate(new Date('2026-11-28T03:00:00Z'), NY)).toBe('2026-11-27');
    expect(localDate(new Date('2026-11-28T03:00:00Z'), 'UTC')).toBe('2026-11-28');
  });

  it('endOfLocalDate is the last millisecond of that date in the zone, under either offset', () => {
    expect(iso(endOfLocalDate('2027-01-26', NY))).toBe('2027-01-27T04:59:59.999Z');
    expect(iso(endOfLocalDate('2026-07-02', NY))).toBe('2026-07-03T03:59:59.999Z');
    // The spring-forward day itself is 23 hours long but still ends at local midnight.
    expect(iso(endOfLocalDate('2027-03-14', NY))).toBe('2027-03-15T03:59:59.999Z');
    expect(iso(endOfLocalDate('2026-11-01', NY))).toBe('2026-11-02T04:59:59.999Z');
  });

  it('isValidZone knows IANA zones and refuses invented ones', () => {
    expect(isValidZone(NY)).toBe(true);
    expect(isValidZone('Europe/Zurich')).toBe(true);
    expect(isValidZone('Mars/Base')).toBe(false);
    expect(isValidZone(42)).toBe(false);
  });
});

describe('dates: parseDuration', () => {
  it.each([
    ['PT30S', 30_000],
    ['PT5M', 5 * 60_000],
    ['PT2H', 2 * 3_600_000],
    ['P60D', 60 * 86_400_000],
    ['P2W', 14 * 86_400_000],
  ])('accepts %s', (text, millis) => {
    const duration = parseDuration(text);
    expect(duration).toBeDefined();
    expect(duration?.toMillis()).toBe(millis);
  });

  it('accepts P1Y and P3M as calendar periods', () => {
    const year = parseDuration('P1Y');
    expect(year?.years).toBe(1);
    // A year added at Headquarters is the same date a year later.
    expect(iso(periodEnd(new Date('2026-11-27T15:00:00Z'), year as Duration, exactNY))).toBe('2027-11-27T15:00:00.000Z');
    expect(parseDuration('P3M')?.months).toBe(3);
  });

  it.each(['P0D', 'PT0S', '-P1D', 'P-1D', '60 days', 'P', '', 'PT', '60', 'p60d '])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('refuses values that are not text', () => {
    expect(parseDuration(60)).toBeUndefined();
    expect(parseDuration(null)).toBeUndefined();
    expect(parseDuration(undefined)).toBeUndefined();
  });
});
