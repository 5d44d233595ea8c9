import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { type CampaignPolicy, nextScheduledCampaign } from '../domain/campaign';
import { isIsoDate } from '../domain/dates';
import { LANGUAGES, type Language } from '../domain/languages';
import { NOTE_FACTS, NOTE_KINDS, type NoteKind } from '../domain/notes';
import { DUTIES, type Duty } from '../domain/resolution';
import { issuesOf } from '../domain/schema';
import { dateInWords, sessionOrdinal } from '../domain/un-style';
import { packagePath } from './package-root';

export const DEFAULT_RESOLUTION_PATH = packagePath('config', 'resolution.yaml');

// The duties are the domain's (a note kind names its duty there); their paragraphs are this file's.
export { DUTIES, type Duty } from '../domain/resolution';

/** The requesting resolution: what every note and the report cite, in one reviewed file. */
export interface Resolution {
  /** "79/124". */
  symbol: string;
  /** ISO date of adoption. */
  adoptedOn: string;
  /** The General Assembly session the report of paragraph 14 is due at. */
  reportSession: number;
  title: Record<Language, string>;
  /** Each duty's paragraph, written as in English: "11 (a)", "13". */
  paragraphs: Record<Duty, string>;
  /** Each note kind's reference symbol pattern: {reference}, {session}, {year}. */
  noteSymbols: Record<NoteKind, string>;
}

const PARAGRAPH = /^(\d{1,3})(?: \(([a-z])\))?$/;
const SYMBOL_PLACEHOLDERS = ['reference', 'session', 'year'];

const text = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
const schema = z.strictObject({
  symbol: z.string().regex(/^\d{1,3}\/\d{1,4}$/, 'must be a resolution symbol such as 79/124'),
  adoptedOn: z.string().refine(isIsoDate, 'must be a real date written YYYY-MM-DD'),
  reportSession: z.int().min(1).max(999),
  title: z.strictObject(Object.fromEntries(LANGUAGES.map((language) => [language, text])) as Record<Language, typeof text>),
  paragraphs: z.strictObject(Object.fromEntries(DUTIES.map((duty) => [duty, z.coerce.string().regex(PARAGRAPH, 'must be a paragraph such as 13 or 12 (b)')])) as Record<Duty, z.ZodString>),
  noteSymbols: z.strictObject(Object.fromEntries(NOTE_KINDS.map((kind) => [kind, z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters').refine(
    (pattern) => [...pattern.matchAll(/\{([^}]*)\}/g)].every((m) => SYMBOL_PLACEHOLDERS.includes(m[1] ?? '')),
    `may use only the placeholders ${SYMBOL_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
  ).refine(
    // Only the circular note states its session; a pattern that needs one elsewhere would write an empty part.
    (pattern) => hasSession(kind) || !pattern.includes('{session}'),
    `may not use {session}: a ${kind} note states no session`,
  )])) as Record<NoteKind, z.ZodString>),
});

function hasSession(kind: NoteKind): boolean {
  const facts = NOTE_FACTS[kind] as { required: readonly string[]; optional: readonly string[] };
  return [...facts.required, ...facts.optional].includes('session');
}

/** A resolution file that cannot be used: the message names the file and every bad field. */
export class ResolutionError extends Error {
  override name = 'ResolutionError';
}

export function loadResolution(path: string = DEFAULT_RESOLUTION_PATH): Resolution {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ResolutionError(`resolution file ${path}: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ResolutionError(`resolution file ${path}: ${issuesOf(parsed.error).map((issue) => `${issue.path || '(file)'} ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** Latin letters of sub-paragraphs as Arabic documents write them (abjad order). */
const ARABIC_LETTERS: Record<string, string> = { a: 'أ', b: 'ب', c: 'ج', d: 'د', e: 'هـ', f: 'و', g: 'ز', h: 'ح' };

/** A paragraph reference ("12 (b)") as each language writes it in running text: "12 b)" in French and Spanish, "12(b)" in Chinese and Russian, "12 (ب)" in Arabic. */
export function paragraphIn(reference: string, language: Language): string {
  const match = PARAGRAPH.exec(reference);
  if (!match) throw new ResolutionError(`"${reference}" is not a paragraph such as 13 or 12 (b)`);
  const [, number, letter] = match;
  if (!letter) return number ?? reference;
  switch (language) {
    case 'fr':
    case 'es':
      return `${number} ${letter})`;
    case 'zh':
    case 'ru':
      return `${number}(${letter})`;
    case 'ar':
      return `${number} (${ARABIC_LETTERS[letter] ?? letter})`;
    default:
      return `${number} (${letter})`;
  }
}

/** A note's reference symbol from its kind's pattern; a value the pattern needs and the note lacks is an error, not an empty part. */
export function noteSymbol(resolution: Resolution, kind: NoteKind, values: { reference: string; session?: number; year: string }): string {
  return resolution.noteSymbols[kind].replace(/\{(reference|session|year)\}/g, (_, name: 'reference' | 'session' | 'year') => {
    const value = values[name];
    if (value === undefined || String(value).trim() === '') throw new ResolutionError(`noteSymbols.${kind} "${resolution.noteSymbols[kind]}": the note has no {${name}}`);
    return String(value);
  });
}

/** "81st", "82nd", "83rd", "111th": a session number as an English ordinal in figures. */
function ordinalInFigures(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function sessionInWords(session: number): string {
  try {
    return sessionOrdinal(session, 'en');
  } catch {
    return ordinalInFigures(session);
  }
}

/**
 * What the worker says at start about the resolution its notes cite, with a warning when the next campaign prepares a
 * report to a session after the one this resolution requests it at: the notes would cite a resolution the Assembly has
 * replaced. A warning, not a stop: the next resolution may not be adopted yet when the worker restarts.
 */
export function resolutionNotice(
  resolution: Resolution,
  file: string,
  campaign: Pick<CampaignPolicy, 'schedule' | 'sessions'>,
  zone: string,
  now = new Date(),
): { line: string; warning?: string } {
  const shown = file === DEFAULT_RESOLUTION_PATH ? 'config/resolution.yaml' : file;
  const requested = `resolution ${resolution.symbol} requests its report at the ${sessionInWords(resolution.reportSession)} session`;
  const line = `${resolution.symbol} of ${dateInWords(resolution.adoptedOn, 'en')} (${shown}): its report at the ${sessionInWords(resolution.reportSession)} session`;
  const next = nextScheduledCampaign(now, campaign, zone);
  if (next.session <= resolution.reportSession) return { line };
  return { line, warning: `${requested}; the campaign for the ${ordinalInFigures(next.session)} session (starting ${next.startsOn}) needs the next resolution in ${shown}` };
}
