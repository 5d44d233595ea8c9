import { DateTime } from 'luxon';

/** A day the Secretariat at Headquarters is closed. */
export interface Holiday {
  date: string;
  name: string;
}

/** One year's official holidays as a circular (or another named source) gives them. */
export interface HolidayYear {
  source: string;
  /** False where the source gives only some of the year's days. */
  complete: boolean;
  note?: string;
  days: Holiday[];
}

export interface HolidayData {
  about: string;
  years: Record<string, HolidayYear>;
}

/**
 * The seven days every list found follows by rule (the two Eids are set by each year's circular):
 * New Year's Day, Good Friday, Memorial Day, Independence Day, Labour Day, Thanksgiving, Christmas.
 * A fixed date on a Saturday is kept on the Friday before, on a Sunday on the Monday after.
 */
export function ruleHolidays(year: number): Holiday[] {
  const observed = (month: number, day: number, name: string): Holiday => {
    const date = DateTime.utc(year, month, day);
    const shift = date.weekday === 6 ? -1 : date.weekday === 7 ? 1 : 0;
    return { date: date.plus({ days: shift }).toISODate() ?? '', name: shift ? `${name} (observed)` : name };
  };
  const nth = (month: number, weekday: number, n: number): string => {
    const first = DateTime.utc(year, month, 1);
    return first.plus({ days: ((weekday - first.weekday + 7) % 7) + (n - 1) * 7 }).toISODate() ?? '';
  };
  const lastMonday = (month: number): string => {
    const last = DateTime.utc(year, month, 1).endOf('month').startOf('day');
    return last.minus({ days: (last.weekday - 1 + 7) % 7 }).toISODate() ?? '';
  };
  return [
    observed(1, 1, "New Year's Day"),
    { date: westernEaster(year).minus({ days: 2 }).toISODate() ?? '', name: 'Good Friday' },
    { date: lastMonday(5), name: 'Memorial Day' },
    observed(7, 4, 'Independence Day'),
    { date: nth(9, 1, 1), name: 'Labour Day' },
    { date: nth(11, 4, 4), name: 'Thanksgiving Day' },
    observed(12, 25, 'Christmas Day'),
  ];
}

/** Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm). */
function westernEaster(year: number): DateTime {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return DateTime.utc(year, month, day);
}

export interface HeadquartersCalendar {
  days: Holiday[];
  /** Years taken whole from their source. */
  loaded: number[];
  /** Years whose rule days are derived (with any days a partial source gives): their Eids are not known. */
  provisional: number[];
}

/** The official holidays of the years `from` to `to`: a complete year as its source gives it, any other by rule. */
export function headquartersHolidays(data: HolidayData, from: number, to: number): HeadquartersCalendar {
  const calendar: HeadquartersCalendar = { days: [], loaded: [], provisional: [] };
  for (let year = from; year <= to; year++) {
    const known = data.years[String(year)];
    if (known?.complete) {
      calendar.days.push(...known.days);
      calendar.loaded.push(year);
      continue;
    }
    const derived = ruleHolidays(year);
    const extra = (known?.days ?? []).filter((day) => !derived.some((d) => d.date === day.date));
    calendar.days.push(...[...derived, ...extra].sort((x, y) => x.date.localeCompare(y.date)));
    calendar.provisional.push(year);
  }
  return calendar;
}

/** Years as a reader takes them in: "2025–2036", "2017, 2020". */
export function describeYears(years: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < years.length; ) {
    let j = i;
    while (j + 1 < years.length && years[j + 1] === years[j]! + 1) j++;
    runs.push(j - i >= 2 ? `${years[i]}–${years[j]}` : years.slice(i, j + 1).join(', '));
    i = j + 1;
  }
  return runs.join(', ');
}
