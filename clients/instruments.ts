import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_INSTRUMENTS_PATH, formatInstruments, parseInstrumentsText, participantLookup } from '../config/instruments';
import { type Directory } from '../config/directory';
import {
  InstrumentsError, type InstrumentStatus, type NewAction, type OtherParticipant, participation, recordAction, type TreatyEvent,
} from '../domain/instruments';
import { InputError } from './errors';

/** The working copy of the state of participation, inside the data directory. */
export const WORKING_COPY = 'instruments.json';

export const workingCopyPath = (dataDir: string): string => path.join(dataDir, WORKING_COPY);
export const backupPath = (dataDir: string): string => `${workingCopyPath(dataDir)}.bak`;

export interface InstrumentsOptions {
  /** The shipped baseline, read while the data directory has no working copy yet. */
  baseline?: string;
}

export interface InstrumentOverview {
  id: string;
  title: string;
  adopted: string;
  /** States bound as at the status's date. */
  parties: number;
  /** States that signed and are not bound. */
  signatoriesOnly: number;
  /** States that signed, bound since or not. */
  signatories: number;
  /** Where the instrument's actions are complete only up to an earlier date than the file's. */
  asAt?: string;
  /** What is known to be missing from them. */
  gaps?: string;
  actions: TreatyEvent[];
}

export interface InstrumentsShown {
  /** The file read: the working copy, or the shipped baseline while there is no working copy. */
  source: string;
  workingCopy: boolean;
  asAt: string;
  /** Participants that are not States of the directory (Niue), where the data lists any. */
  otherParticipants?: OtherParticipant[];
  instruments: InstrumentOverview[];
}

export interface InstrumentRecorded {
  /** The working copy written. */
  path: string;
  /** Where the previous file (the working copy before, or the baseline on the first write) was kept. */
  backup: string;
  recorded: NewAction;
  status: InstrumentStatus;
}

/** The state of participation in the instruments of paragraph 9, with parties and signatories counted. */
export async function showInstruments(dataDir: string, directory: Directory, options: InstrumentsOptions = {}): Promise<InstrumentsShown> {
  const current = await readCurrent(dataDir, directory, options);
  return {
    source: current.source,
    workingCopy: current.workingCopy,
    asAt: current.status.asAt,
    ...(current.status.otherParticipants?.length ? { otherParticipants: current.status.otherParticipants } : {}),
    instruments: current.status.instruments.map((instrument) => ({
      id: instrument.id,
      title: instrument.title,
      adopted: instrument.adopted,
      ...participation(current.status, instrument.id),
      ...(instrument.asAt ? { asAt: instrument.asAt } : {}),
      ...(instrument.gaps ? { gaps: instrument.gaps } : {}),
      actions: instrument.actions,
    })),
  };
}

/**
 * Records a State's action on an instrument in the working copy `<dataDir>/instruments.json` (made
 * from the shipped baseline on the first write). The file is replaced atomically and the previous one
 * kept as `instruments.json.bak`; a refused action (InputError) leaves every file as it was.
 */
export async function recordInstrumentAction(
  dataDir: string, directory: Directory, input: unknown, today: string, options: InstrumentsOptions = {},
): Promise<InstrumentRecorded> {
  const current = await readCurrent(dataDir, directory, options);
  let status: InstrumentStatus;
  try {
    status = recordAction(current.status, input, today, participantLookup(current.status.otherParticipants ?? [], directory));
  } catch (error) {
    throw asInputError(error);
  }
  // recordAction has checked that each of these is a non-empty text.
  const field = (key: keyof NewAction) => String((input as Record<string, unknown>)[key]).trim();
  const recorded = { instrument: field('instrument'), state: field('state'), action: field('action'), date: field('date') } as NewAction;

  const target = workingCopyPath(dataDir);
  const backup = backupPath(dataDir);
  await mkdir(dataDir, { recursive: true });
  const nonce = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const temp = `${target}.${nonce}.tmp`;
  const backupTemp = `${backup}.${nonce}.tmp`;
  try {
    await writeDurably(temp, formatInstruments(status));
    await copyFile(current.source, backupTemp);
    await rename(backupTemp, backup);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    await rm(backupTemp, { force: true });
    throw error;
  }
  return { path: target, backup, recorded, status };
}

async function readCurrent(dataDir: string, directory: Directory, options: InstrumentsOptions):
Promise<{ source: string; workingCopy: boolean; status: InstrumentStatus }> {
  const working = workingCopyPath(dataDir);
  let source = working;
  let workingCopy = true;
  let text: string;
  try {
    text = await readFile(working, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    source = options.baseline ?? DEFAULT_INSTRUMENTS_PATH;
    workingCopy = false;
    text = await readFile(source, 'utf8');
  }
  try {
    return { source, workingCopy, status: parseInstrumentsText(text, source, directory) };
  } catch (error) {
    throw asInputError(error);
  }
}

async function writeDurably(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function asInputError(error: unknown): unknown {
  return error instanceof InstrumentsError ? new InputError(error.message, [...error.problems]) : error;
}
