import { type ReportKind } from './case';
import { type TreatyAction } from './instruments';
import { type Iso3 } from './states';

/** Everything the draft report under paragraph 14 says, gathered from what the engine holds. */
export interface CycleReportData {
  /** The General Assembly session the report is submitted to, e.g. 81. */
  session: number;
  /** The resolution the report answers, e.g. { symbol: '79/124', adoptedOn: '2024-12-04' }. */
  resolution: { symbol: string; adoptedOn: string; title: string };
  /** The period whose reports and views the report covers (ISO dates). */
  period: { from: string; to: string };
  /** The States' submission deadline (ISO date): later items go to the addendum. */
  deadline: string;
  /** Reports received on cases (11 (a) and 11 (b)), by case. */
  reports: CycleReportItem[];
  /** Views received under paragraph 13. */
  views: CycleViewItem[];
  /** Participation in the instruments of paragraph 9, as at a date, with changes since the previous report. */
  instruments: { asAt: string; since: string; items: InstrumentSummary[] };
}

export interface CycleReportItem {
  caseReference: string;
  /** The State where the violation took place. */
  hostState: Iso3;
  hostName: string;
  /** The State that made the report. */
  state: Iso3;
  stateName: string;
  receivedOn: string;
  kind: ReportKind;
  summary: string;
  /** Received after the deadline: reported in the addendum. */
  late: boolean;
}

export interface CycleViewItem {
  state: Iso3;
  stateName: string;
  receivedOn: string;
  summary: string;
  late: boolean;
}

export interface InstrumentSummary {
  id: string;
  title: string;
  adopted: string;
  /** States bound (ratification, accession or succession) as at the date. */
  parties: number;
  /** States that signed and are not (yet) bound. */
  signatoriesOnly: number;
  /** Actions dated after `since` and up to `asAt`. */
  changes: { state: Iso3; stateName: string; action: TreatyAction; date: string }[];
}
