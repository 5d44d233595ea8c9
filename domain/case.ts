import { type Iso3 } from './states';

export const VICTIM_KINDS = [
  'diplomatic-mission', 'consular-post', 'permanent-mission', 'representative', 'official', 'family-member',
] as const;
export type VictimKind = (typeof VICTIM_KINDS)[number];

export interface Victim {
  kind: VictimKind;
  /** The State the mission or person belongs to. */
  state: Iso3;
  name?: string;
}

/** What a State reported under 11 (a), as registered by the Secretariat. */
export interface CaseRegistration {
  /** The Secretariat's registry reference; the case's workflow id derives from it. */
  reference: string;
  reportedBy: Iso3;
  receivedOn: string;
  /** The host State: where the violation took place. */
  occurredIn: Iso3;
  occurredOn: string;
  location: string;
  victims: Victim[];
  offenderPresentIn?: Iso3;
  summary: string;
  /** False when the reporting State asked that its report not be circulated (12 (b)). */
  circulate: boolean;
}

/** 11 (a) violation; 11 (b) measures to bring the offender to justice, final outcome, prevention. */
export const REPORT_KINDS = ['violation', 'measures', 'outcome', 'prevention'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** A report received on an open case. */
export interface CaseReport {
  from: Iso3;
  kind: ReportKind;
  receivedOn: string;
  circulate: boolean;
  summary?: string;
}

export const CASE_STATUSES = [
  'awaiting-report', 'awaiting-follow-up', 'paused', 'unresponsive', 'concluded', 'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The States directly concerned (glossary), less the one that reported. */
export function statesDirectlyConcerned(registration: CaseRegistration): Iso3[] {
  const concerned = [
    registration.occurredIn,
    ...(registration.offenderPresentIn ? [registration.offenderPresentIn] : []),
    ...registration.victims.map((victim) => victim.state),
  ];
  return [...new Set(concerned)].filter((state) => state !== registration.reportedBy).sort();
}
