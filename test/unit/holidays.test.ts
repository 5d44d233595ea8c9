import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { holidayNotice, holidayYears, loadHolidayData } from '../../config/holidays';
import { casePolicy, loadConfig } from '../../config/load';
import { Duration } from 'luxon';
import { periodEnd } from '../../domain/calendar';
import { describeYears, headquartersHolidays, ruleHolidays } from '../../domain/holidays';

const shipped = loadHolidayData();
const NOW = new Date('2026-12-03T12:00:00Z');

describe('the shipped holidays at Headquarters', () => {
  it.each(['2017', '2020', '2024'])('%s: the nine official days of its source, each a real date in its year', (year) => {
    const days = shipped.years[year]!.days;
    expect(days).toHaveLength(9);
    expect(shipped.years[year]!.source.length).toBeGreaterThan(10);
    expect(days.map((d) => d.name)).toEqual(expect.arrayContaining(['Good Friday', 'Memorial Day', 'Labour Day', 'Thanksgiving Day', 'Christmas Day', 'Eid al-Fitr', 'Eid al-Adha']));
  });

  it.each(['2017', '2020', '2024'])('%s: the rule gives its seven fixed days exactly as the source does', (year) => {
    const fromSource = shipped.years[year]!.days.filter((d) => !d.name.startsWith('Eid')).map((d) => d.date);
    expect(ruleHolidays(Number(year)).map((d) => d.date)).toEqual(fromSource);
  });

  it('a fixed day on a weekend moves as the circulars move it: Saturday to Friday, Sunday to Monday', () => {
    expect(ruleHolidays(2020).find((d) => d.name.startsWith('Independence'))).toEqual({ date: '2020-07-03', name: 'Independence Day (observed)' });
    expect(ruleHolidays(2017)[0]).toEqual({ date: '2017-01-02', name: "New Year's Day (observed)" });
    expect(ruleHolidays(2027).find((d) => d.name.startsWith('Christmas'))).toEqual({ date: '2027-12-24', name: 'Christmas Day (observed)' });
  });

  it('Good Friday follows Western Easter', () => {
    expect(ruleHolidays(2026)[1]).toEqual({ date: '2026-04-03', name: 'Good Friday' });
    expect(ruleHolidays(2027)[1]!.date).toBe('2027-03-26');
  });

  it('a year without a complete source is derived and provisional; a partial source adds its days', () => {
    const calendar = headquartersHolidays(shipped, 2014, 2017);
    expect(calendar.loaded).toEqual([2017]);
    expect(calendar.provisional).toEqual([2014, 2015, 2016]);
    expect(calendar.days.filter((d) => d.date.startsWith('2015')).map((d) => d.date)).toContain('2015-09-23');
    expect(calendar.days.filter((d) => d.date.startsWith('2016'))).toHaveLength(7);
  });

  it('a day listed under another year is refused by name', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'obligations-holidays-'));
    try {
      const file = path.join(dir, 'holidays.json');
      writeFileSync(file, JSON.stringify({ about: 'x', years: { 2030: { source: 'ST/IC/2029/1', complete: true, days: [{ date: '2031-01-01', name: "New Year's Day" }] } } }));
      expect(() => loadHolidayData(file)).toThrow('2031-01-01 (New Year\'s Day) is listed under 2030');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the policy of new cases', () => {
  it('takes Headquarters\' holidays for every year its dates can reach, with the configured ones', () => {
    const config = loadConfig({}, os.tmpdir());
    const extra = { ...config, deadlines: { ...config.deadlines, holidays: ['2026-12-31'] } };
    const { holidays } = casePolicy(extra, NOW).deadlines;
    expect(holidays).toEqual(expect.arrayContaining(['2026-12-25', '2026-12-31', '2027-12-24', '2036-11-27']));
    expect(holidays).toEqual([...holidays].sort());
    expect(holidayYears(NOW, 'P10Y')).toEqual({ from: 2025, to: 2037 });
    expect(casePolicy(extra, NOW).deadlines).not.toHaveProperty('headquartersHolidays');
  });

  it('so Christmas is not a working day: a deadline that falls on it rolls to the next working day', () => {
    const { deadlines } = casePolicy(loadConfig({}, os.tmpdir()), NOW);
    // 60 days after 26 October 2026 is Friday 25 December: Headquarters is closed, so Monday 28 December.
    const registered = new Date('2026-10-26T15:00:00Z');
    expect(periodEnd(registered, Duration.fromISO('P60D'), deadlines).toISOString()).toBe('2026-12-29T04:59:59.999Z');
    expect(periodEnd(registered, Duration.fromISO('P60D'), { ...deadlines, holidays: [] }).toISOString()).toBe('2026-12-26T04:59:59.999Z');
  });

  it('the start-up notice names the years from a circular and warns of each provisional one', () => {
    const config = loadConfig({}, os.tmpdir());
    const notice = holidayNotice(config.deadlines, NOW);
    expect(notice.line).toBe('official holidays at Headquarters from no circular');
    expect(notice.warning).toMatch(/^provisional for 2025–2037: the seven fixed days are derived by rule, the two Eids are not known/);
    const early = holidayNotice({ ...config.deadlines, horizon: 'P1Y' }, new Date('2018-06-01T00:00:00Z'));
    expect(early.line).toBe('official holidays at Headquarters from the circulars for 2017, 2020');
    expect(early.warning).toContain('provisional for 2018, 2019');
    expect(holidayNotice({ ...config.deadlines, headquartersHolidays: false }, NOW).warning).toContain('only the configured holidays');
  });

  it('describes runs of years as a reader takes them', () => {
    expect(describeYears([2017, 2020, 2021, 2024, 2025, 2026, 2027])).toBe('2017, 2020, 2021, 2024–2027');
  });
});
