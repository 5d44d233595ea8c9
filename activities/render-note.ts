import { type Language } from '../domain/languages';
import { dateInWords, sessionOrdinal } from '../domain/un-style';
import { NOTE_DUTY, type NoteKind } from '../domain/notes';
import { DUTIES, type Duty, paragraphIn, type Resolution } from '../config/resolution';
import {
  COMMON_PIECES,
  OPTIONAL_BLOCK,
  PLACEHOLDER,
  REQUIRED_PLACEHOLDERS,
  SUBJECT_PLACEHOLDER,
  isEnvoyForm,
  type CommonPiece,
  type Obligation,
  type RecipientStatus,
  type ReportKind,
  type Templates,
} from '../config/templates';

/** Raw values of a note; dates are ISO calendar dates (YYYY-MM-DD). */
export interface NoteVars {
  symbol: string;
  reference: string;
  /** The recipient State's name as it stands after "of", in the note's language (StateEntry.namesOf). */
  recipientOf: string;
  /**
   * The recipient's status in the directory (StateEntry.status): it chooses the addressee's title, a Member State's
   * Permanent Representative or an observer State's Permanent Observer ({envoy} and its forms).
   */
  recipientStatus: RecipientStatus;
  /** The host State's (where the violation took place) name after "of"; required by the case notes only (CASE_NOTE_KINDS). */
  hostOf?: string;
  date: string;
  /** IANA zone the note's date was taken in; validated only, since calendar dates are not shifted. */
  zone: string;
  /** The reporting State's name after "of" (circulation notes). */
  reporterOf?: string;
  reportKind?: ReportKind;
  receivedOn?: string;
  summary?: string;
  occurredOn?: string;
  owed?: Obligation;
  dueOn?: string;
  reminderNumber?: number;
  /** Circular note: the General Assembly session (80 to 120) to whose report the replies go, written as an ordinal. */
  session?: number;
  /** Circular note and views-reminder: the date by which replies should reach the Secretariat. */
  deadline?: string;
  /** Views-reminder: the date of the circular note it recalls. */
  circularDate?: string;
}

/** The values each kind cannot do without (its required facts), checked before rendering whatever its template uses. */
export const REQUIRED_VARS = REQUIRED_PLACEHOLDERS as Record<NoteKind, readonly (keyof NoteVars)[]>;

export interface RenderInput {
  kind: NoteKind;
  language: Language;
  vars: NoteVars;
}

export interface RenderedNote {
  subject: string;
  text: string;
  language: Language;
}

/** A value written in words, its failure named after the note variable it came from. */
function named(name: string, write: () => string): string {
  try {
    return write();
  } catch (err) {
    throw new Error(`note variable ${name}: ${(err as Error).message}`);
  }
}

function translate<K extends string, V>(dictionary: Record<K, V>, key: K | undefined, name: string): V | undefined {
  if (key === undefined) return undefined;
  if (!Object.hasOwn(dictionary, key)) throw new Error(`note variable ${name}: unknown value "${key}"`);
  return dictionary[key];
}

/** Zones already found valid: making a formatter to check one costs more than writing the rest of a note. */
const validZones = new Set<string>();

function checkZone(zone: string): void {
  if (validZones.has(zone)) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new Error(`note variable zone: "${zone}" is not an IANA time zone`);
  }
  validZones.add(zone);
}

const isDuty = (name: string): name is Duty => (DUTIES as readonly string[]).includes(name);

/** What the resolution gives every note, in the note's language; undefined for any other name. */
function resolutionValue(resolution: Resolution, kind: NoteKind, language: Language, name: string): string | undefined {
  switch (name) {
    case 'resolution':
      return resolution.symbol;
    case 'adoptedOn':
      return named('adoptedOn', () => dateInWords(resolution.adoptedOn, language));
    case 'resolutionTitle':
      return resolution.title[language];
    case 'paragraph':
      return paragraphIn(resolution.paragraphs[NOTE_DUTY[kind]], language);
    default: {
      const duty = name.startsWith('paragraph.') ? name.slice('paragraph.'.length) : undefined;
      return duty !== undefined && isDuty(duty) ? paragraphIn(resolution.paragraphs[duty], language) : undefined;
    }
  }
}

/** A dictionary entry with the resolution's placeholders in it (its paragraph numbers) filled. */
function withResolution(entry: string | undefined, resolution: Resolution, { kind, language }: RenderInput): string | undefined {
  return entry?.replace(PLACEHOLDER, (_match, name: string) => {
    const value = resolutionValue(resolution, kind, language, name);
    if (value === undefined) throw new Error(`note ${kind} (${language}): no value for placeholder {${name}} in a dictionary entry`);
    return value;
  });
}

function valueOf(templates: Templates, resolution: Resolution, input: RenderInput, name: string): string | undefined {
  const { kind, language, vars } = input;
  const cited = resolutionValue(resolution, kind, language, name);
  if (cited !== undefined) return cited;
  switch (name) {
    case 'date':
    case 'receivedOn':
    case 'occurredOn':
    case 'dueOn':
    case 'deadline':
    case 'circularDate':
      return vars[name] === undefined ? undefined : named(name, () => dateInWords(vars[name] as string, language));
    case 'session':
      return vars.session === undefined ? undefined : named(name, () => sessionOrdinal(vars.session as number, language));
    case 'reportKind':
      return withResolution(translate(templates.reportKinds[language], vars.reportKind, name), resolution, input);
    case 'owed':
      return withResolution(translate(templates.obligations[language], vars.owed, name), resolution, input);
    case 'reminderNumber':
      if (vars.reminderNumber === undefined) return undefined;
      if (!Number.isInteger(vars.reminderNumber) || vars.reminderNumber < 1) {
        throw new Error(`note variable reminderNumber: ${vars.reminderNumber} is not a positive integer`);
      }
      return String(vars.reminderNumber);
    case 'symbol':
    case 'reference':
    case 'recipientOf':
    case 'hostOf':
    case 'reporterOf':
    case 'summary':
      return vars[name];
    default:
      if (!isEnvoyForm(language, name)) return undefined;
      return translate(templates.envoys[language], vars.recipientStatus, 'recipientStatus')?.[name];
  }
}

function isCommonPiece(name: string): name is CommonPiece {
  return (COMMON_PIECES as readonly string[]).includes(name);
}

/**
 * Renders a note verbale from its template in the note's language, citing the requesting resolution (its symbol, date,
 * title and paragraphs). Pure; throws on a missing value.
 */
export function renderNote(templates: Templates, resolution: Resolution, input: RenderInput): RenderedNote {
  const { kind, language } = input;
  checkZone(input.vars.zone);
  const missing = REQUIRED_VARS[kind].filter((name) => {
    const value = input.vars[name];
    return value === undefined || (typeof value === 'string' && value.trim() === '');
  });
  if (missing.length > 0) throw new Error(`note ${kind} (${language}): no value for ${missing.map((name) => `{${name}}`).join(', ')}`);
  const common = templates.common[language];
  const template = templates.notes[kind][language];
  const present = (name: string) => (valueOf(templates, resolution, input, name) ?? '').trim() !== '';

  const fill = (source: string, extra: Record<string, string>, withCommon: boolean): string =>
    source
      .replace(OPTIONAL_BLOCK, (_match, name: string, content: string) => (present(name) ? content.replace(/^ /, '') : ''))
      .replace(PLACEHOLDER, (_match, name: string) => {
        if (withCommon && isCommonPiece(name)) return fill(common[name], {}, false);
        const value = Object.hasOwn(extra, name) ? extra[name] : valueOf(templates, resolution, input, name);
        if (value === undefined || value.trim() === '') {
          throw new Error(`note ${kind} (${language}): no value for placeholder {${name}}`);
        }
        return value;
      });

  const subject = fill(template.subject, {}, true).replace(/\s+/g, ' ').trim();
  const body = fill(template.body, { [SUBJECT_PLACEHOLDER]: subject }, true);
  const text = body
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { subject, text, language };
}
