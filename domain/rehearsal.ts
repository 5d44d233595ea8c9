import { DateTime } from 'luxon';
import { type CaseRegistration, type ReportKind, type VictimKind } from './case';
import { type NoteKind } from './notes';
import { type Iso3 } from './states';

/**
 * A rehearsal runs the engine over a synthetic population for a simulated period, to show what a
 * policy would send and when. The population depends only on the seed, the number of cases, the
 * period's length and the States, never on the policy: two rehearsals of the same population under
 * two policies differ only by what the policy changes.
 */

/** The bounds of a rehearsal's input: a cycle of some thousands of cases runs in minutes. */
export const REHEARSAL_BOUNDS = { cases: { min: 1, max: 5000, default: 20 }, years: { min: 1, max: 10, default: 2 }, seed: { default: 1 } } as const;

/** How a host State answers what it owes, in days after the case was registered. */
export const HOST_PROFILES = ['prompt', 'late', 'partial', 'silent'] as const;
export type HostProfile = (typeof HOST_PROFILES)[number];

/** A report the host State sends on its case, a number of days after the registration. */
export interface HostReply {
  afterDays: number;
  kind: ReportKind;
  circulate: boolean;
}

export interface SyntheticCase {
  registration: CaseRegistration;
  /** Days from the start of the period to the registration (rolled to a working day when the rehearsal dates it). */
  registeredAfterDays: number;
  profile: HostProfile;
  replies: HostReply[];
}

/** A State's views on a session's circular note, some days after the campaign started. */
export interface ViewsReply {
  state: Iso3;
  afterDays: number;
}

/** One note the engine sent (one batch: one note to one or many States), as the rehearsal shows it. */
export interface RehearsedNote {
  /** The case's reference, or the campaign's (e.g. LA/COD/CIRC/83). */
  reference: string;
  /** The host State of a case's note (an Iso3); empty for a campaign's. */
  hostState: string;
  kind: NoteKind;
  /** When it went out (ISO instant), and its local date and time at Headquarters. */
  at: string;
  date: string;
  time: string;
  recipients: number;
  /** The States it went to, when few; else empty (see `recipients`). */
  to: Iso3[];
  sent: number;
  failed: number;
  /** A reminder's number (1, 2, ...) for the deadline it chases. */
  reminderNumber?: number;
  /** What a reminder chases: the owed report (host-report, follow-up) or the views of the session. */
  chases?: string;
  /** The due date (at Headquarters) of what a reminder chases. */
  dueOn?: string;
}

/** A note lists its recipients one by one when it has at most this many. */
export const LISTED_RECIPIENTS = 5;

/** A small, fast, seedable generator (mulberry32): the same seed draws the same population anywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VICTIMS: VictimKind[] = ['diplomatic-mission', 'diplomatic-mission', 'consular-post', 'representative', 'official', 'family-member'];
const INCIDENTS = [
  'Unauthorized entry into the premises of the Embassy.',
  'Demonstrators damaged the perimeter wall of the consular post.',
  'A member of the diplomatic staff was assaulted near the residence.',
  'The diplomatic bag was opened at the airport.',
  'Threats were made against the Permanent Mission by telephone.',
  'The vehicle of the head of mission was set on fire.',
];

/** How often each profile is drawn: most hosts answer at some point, a third never do. */
const PROFILE_WEIGHTS: [HostProfile, number][] = [['prompt', 0.3], ['late', 0.25], ['partial', 0.15], ['silent', 0.3]];

/**
 * The synthetic population: `count` cases registered over `days`, each in a host State drawn from
 * `states` and reported by another (one in five by the host State itself, which then owes only the
 * follow-up), with the host's replies drawn from its profile:
 * - prompt: its 11 (a) report within weeks, then follow-ups and the final outcome, each within two months;
 * - late: its report three to seven months after the registration (after reminders), then one follow-up;
 * - partial: its report within two months, then nothing (the follow-up is chased);
 * - silent: nothing at all (reminders, then flagged unresponsive).
 * One in four of the host's reports asks not to be circulated.
 */
export function syntheticCases(options: { count: number; days: number; seed: number; states: readonly Iso3[]; startYear: number }): SyntheticCase[] {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const cases: SyntheticCase[] = [];
  const width = String(options.count).length;
  for (let i = 0; i < options.count; i++) {
    const host = pick(options.states);
    const selfReported = random() < 0.2;
    let reporter = selfReported ? host : pick(options.states);
    while (!selfReported && reporter === host) reporter = pick(options.states);
    const victimState = selfReported ? pick(options.states) : reporter;
    const offender = random() < 0.15 ? pick(options.states) : undefined;
    const profile = drawProfile(random());
    const registeredAfterDays = Math.floor((i + random()) * (options.days / options.count));
    const registration: CaseRegistration = {
      reference: `REH/${options.startYear}/${String(i + 1).padStart(width, '0')}`,
      reportedBy: reporter,
      receivedOn: '',
      occurredIn: host,
      occurredOn: '',
      location: `Capital of ${host}`,
      victims: [{ kind: pick(VICTIMS), state: victimState }],
      ...(offender && offender !== host ? { offenderPresentIn: offender } : {}),
      summary: pick(INCIDENTS),
      circulate: random() < 0.9,
    };
    cases.push({ registration, registeredAfterDays, profile, replies: drawReplies(profile, selfReported, random, between) });
  }
  return cases;
}

function drawProfile(draw: number): HostProfile {
  let total = 0;
  for (const [profile, weight] of PROFILE_WEIGHTS) {
    total += weight;
    if (draw < total) return profile;
  }
  return 'silent';
}

function drawReplies(profile: HostProfile, selfReported: boolean, random: () => number, between: (low: number, high: number) => number): HostReply[] {
  const replies: HostReply[] = [];
  let day = 0;
  const reply = (afterDays: number, kind: ReportKind) => {
    day = afterDays;
    replies.push({ afterDays, kind, circulate: random() >= 0.25 });
  };
  // A self-reported case has its 11 (a) report already: the host's next report is a follow-up.
  const first: ReportKind = selfReported ? 'measures' : 'violation';
  switch (profile) {
    case 'prompt':
      reply(between(10, 45), first);
      for (let n = between(0, 2); n > 0; n--) reply(day + between(30, 60), 'measures');
      reply(day + between(30, 60), 'outcome');
      break;
    case 'late':
      reply(between(90, 210), first);
      reply(day + between(60, 150), 'measures');
      break;
    case 'partial':
      reply(between(15, 60), first);
      break;
    case 'silent':
      break;
  }
  return replies;
}

/** The States that give their views on a session's circular note (about a third), and when: from a week after it to past its deadline. */
export function syntheticViews(options: { seed: number; session: number; states: readonly Iso3[]; untilDays: number }): ViewsReply[] {
  const random = seededRandom(options.seed * 1000 + options.session);
  const replies: ViewsReply[] = [];
  for (const state of options.states) {
    if (random() < 0.35) replies.push({ state, afterDays: 7 + Math.floor(random() * Math.max(1, options.untilDays - 7)) });
  }
  return replies;
}

/**
 * The registry's day and hour: the Secretariat records the week's incoming correspondence
 * (registrations, host reports, views) on its first working day, Monday, at ten at Headquarters.
 * One week's requests so reach the engine together, which is what lets a rehearsal of hundreds of
 * cases run in a couple of minutes; every date that follows (due dates, reminders) is the policy's.
 */
export const REGISTRY = { weekday: 1, hour: 10 } as const;

/** The instant the registry records something received `days` after `from`: the registry's day on or after it, at its hour. */
export function registryInstant(from: DateTime, days: number): DateTime {
  const day = from.startOf('day').plus({ days });
  return day.plus({ days: (REGISTRY.weekday - day.weekday + 7) % 7 }).set({ hour: REGISTRY.hour });
}

/** The dates of a registration, as the Secretariat writes them on the day it registers: received that day, the incident a few days before. */
export function datedRegistration(registration: CaseRegistration, today: string, daysBefore: number): CaseRegistration {
  const occurredOn = DateTime.fromISO(today, { zone: 'UTC' }).minus({ days: daysBefore }).toISODate() ?? today;
  return { ...registration, receivedOn: today, occurredOn };
}

export const CSV_COLUMNS = ['reference', 'host_state', 'kind', 'date', 'time', 'at_utc', 'recipients', 'to', 'sent', 'failed', 'reminder_number', 'chases', 'due_on'] as const;

/** The notes as CSV (RFC 4180: a field with a comma, a quote or a line break is quoted), one line per note, a header first. */
export function notesCsv(notes: readonly RehearsedNote[]): string {
  const field = (value: string | number | undefined) => {
    const text = value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = notes.map((n) => [n.reference, n.hostState, n.kind, n.date, n.time, n.at, n.recipients, n.to.join(' '), n.sent, n.failed, n.reminderNumber, n.chases, n.dueOn].map(field).join(','));
  return `${[CSV_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}

/** Case by case (campaigns last, by session), each case's notes in the order they went. */
export function byCase(notes: readonly RehearsedNote[]): RehearsedNote[] {
  const campaign = (n: RehearsedNote) => (n.hostState === '' ? 1 : 0);
  return [...notes].sort((a, b) => campaign(a) - campaign(b) || a.reference.localeCompare(b.reference) || a.at.localeCompare(b.at) || a.kind.localeCompare(b.kind));
}
