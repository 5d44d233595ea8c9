import { type ReportKind } from './case';
import { type TreatyAction } from './instruments';
import { type Iso3 } from './states';

/** The duties whose paragraphs the report cites, written as in English: "11 (a)", "13". */
export type ReportDuty = 'instruments' | 'reports' | 'violationReport' | 'followUp' | 'circular' | 'views' | 'report' | 'participation' | 'observations';

/** What the report needs of the requesting resolution (config/resolution.ts holds the whole of it). */
export interface ReportResolution {
  symbol: string;
  adoptedOn: string;
  /** The session at which the Assembly asked for the report. */
  reportSession: number;
  /** The English title, which is also the agenda item's. */
  title: string;
  paragraphs: Record<ReportDuty, string>;
}

/** Everything the draft report under paragraph 14 and its addendum say, gathered from what the engine holds. */
export interface CycleReportData {
  /** The General Assembly session the report is submitted to, e.g. 81. */
  session: number;
  resolution: ReportResolution;
  /** The date of the document in its masthead (ISO date). */
  issuedOn: string;
  /** The date of the circular note of paragraph 12 (a) that asked for reports and views (ISO date). */
  circularOn: string;
  /** The period whose reports and views the report and its addendum cover (ISO dates). */
  period: { from: string; to: string };
  /** The States' submission deadline (ISO date): later items go to the addendum. */
  deadline: string;
  /** Reports received on cases (11 (a) and 11 (b)). */
  reports: CycleReportItem[];
  /** Views received under paragraph 13. */
  views: CycleViewItem[];
  /** Participation in the instruments of paragraph 9, as at a date, with changes since the previous report. */
  instruments: { asAt: string; since: string; items: InstrumentSummary[] };
  /** The Secretary-General's own observations (paragraph 15), one entry a paragraph; none, no section. */
  observations?: string[];
}

/** A State as the report names it: the list form sorts and fills tables, the running form stands in sentences. */
export interface NamedState {
  state: Iso3;
  /** List form: "Iran (Islamic Republic of)". */
  stateName: string;
  /** Running-text form, lower case as mid-sentence: "the Islamic Republic of Iran". */
  stateInText: string;
}

export interface CycleReportItem extends NamedState {
  caseReference: string;
  /** The State where the violation took place, in running text. */
  hostState: Iso3;
  hostInText: string;
  /** When the violation took place (ISO date). */
  occurredOn: string;
  receivedOn: string;
  kind: ReportKind;
  /** False when the reporting State asked that the report not be circulated: the report names it, never its content. */
  circulate: boolean;
  /** Empty when the report is not to be circulated. */
  summary: string;
  /** Received after the deadline: reported in the addendum. */
  late: boolean;
}

export interface CycleViewItem extends NamedState {
  receivedOn: string;
  summary: string;
  late: boolean;
}

export interface InstrumentSummary {
  id: string;
  title: string;
  adopted: string;
  /** States bound (ratification, accession or succession, less withdrawals) as at the date. */
  parties: number;
  /** States that signed, bound since or not. */
  signatories: number;
  /** States that signed and are not (yet) bound. */
  signatoriesOnly: number;
  /** Where this instrument's actions are complete only to an earlier date than the status's. */
  asAt?: string;
  /** What is known to be missing from its actions. */
  gaps?: string;
  /** Actions dated after `since` and up to `asAt`; the State by its list form. */
  changes: { state: Iso3; stateName: string; action: TreatyAction; date: string }[];
}
