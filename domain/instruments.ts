import { type Iso3 } from './states';

/** How a State became bound by (or signed) an instrument of paragraph 9. */
export const TREATY_ACTIONS = ['signature', 'ratification', 'accession', 'succession'] as const;
export type TreatyAction = (typeof TREATY_ACTIONS)[number];

export interface TreatyEvent {
  state: Iso3;
  action: TreatyAction;
  /** ISO date of the action (deposit of the instrument, or signature). */
  date: string;
}

/** One instrument of paragraph 9, with every State's actions on it. */
export interface Instrument {
  /** Short stable id, e.g. "vcdr", "vcdr-op-nationality". */
  id: string;
  /** Full title as in the United Nations Treaty Collection. */
  title: string;
  /** Where and when it was adopted, e.g. "Vienna, 18 April 1961". */
  adopted: string;
  actions: TreatyEvent[];
}

/** The state of participation in the instruments, as at a date. */
export interface InstrumentStatus {
  asAt: string;
  instruments: Instrument[];
}
