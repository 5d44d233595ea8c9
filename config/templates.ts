import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { REPORT_KINDS, type ReportKind } from '../domain/case';
import { LANGUAGES, type Language } from '../domain/languages';
import { type FACT_TYPES, type FactName, NOTE_FACTS, NOTE_KINDS, type NoteKind } from '../domain/notes';
import { DUTIES, type Duty } from '../domain/resolution';
import { isRecord, whenAbsent } from '../domain/schema';
import { type StateEntry } from '../domain/states';
import { OBLIGATION_KINDS as OBLIGATIONS, type ObligationKind as Obligation } from '../domain/timeline';
import { packagePath } from './package-root';

// What a circulated report is, and what a reminder chases: the dictionaries translate these.
export { REPORT_KINDS, type ReportKind } from '../domain/case';
export { OBLIGATION_KINDS as OBLIGATIONS, type ObligationKind as Obligation } from '../domain/timeline';

/** Wording shared by every note of a language, written once in `common`. */
export const COMMON_PIECES = ['compliments', 'close'] as const;
export type CommonPiece = (typeof COMMON_PIECES)[number];

/** The placeholder of a duty's paragraph: {paragraph.circulation} is "12 (b)" under resolution 79/124, in the note's language's style. */
export const paragraphPlaceholder = (duty: Duty): `paragraph.${Duty}` => `paragraph.${duty}`;

/**
 * What every template may cite of the requesting resolution (config/resolution.yaml), so that no note writes a symbol,
 * a date or a paragraph number of its own: {resolution} its symbol ("79/124"), {adoptedOn} its date in words,
 * {resolutionTitle} its title, and one {paragraph.<duty>} per duty. A note's own {paragraph} is its kind's duty's.
 */
export const RESOLUTION_PLACEHOLDERS: readonly string[] = ['resolution', 'adoptedOn', 'resolutionTitle', ...DUTIES.map(paragraphPlaceholder)];

/** The common pieces that address the recipient, and so must name the addressee's title through an envoy placeholder. */
export const ADDRESSING_PIECES = ['compliments', 'close'] as const satisfies readonly CommonPiece[];

/**
 * The recipient's status in the directory (StateEntry.status), which decides the addressee's title: a Member State's
 * Permanent Representative or an observer State's Permanent Observer.
 */
export const RECIPIENT_STATUSES = ['member', 'observer'] as const satisfies readonly StateEntry['status'][];
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/**
 * The forms of the addressee's title (dictionary `envoys`, by language and status) that each language's sentences need,
 * each usable as a placeholder of the same name. Every language has {envoy}, the title standing alone ("Permanent
 * Representative", "Représentant permanent", "Постоянный представитель"); some add the forms their grammar fuses:
 * {toEnvoy} the dative, with the preposition and article it contracts with ("au Représentant permanent" / "à
 * l'Observateur permanent", "Постоянному представителю", "للممثل الدائم"); {ofEnvoy} the genitive ("du Représentant
 * permanent" / "de l'Observateur permanent", "Постоянного представителя"); {envoyToUN} the Chinese title with 联合国
 * inside it, as it follows the State's name ("常驻联合国代表").
 */
export const ENVOY_FORMS = {
  ar: ['envoy', 'toEnvoy'],
  zh: ['envoy', 'envoyToUN'],
  en: ['envoy'],
  fr: ['envoy', 'toEnvoy', 'ofEnvoy'],
  ru: ['envoy', 'toEnvoy', 'ofEnvoy'],
  es: ['envoy'],
} as const satisfies Record<Language, readonly string[]>;
export type EnvoyForm = (typeof ENVOY_FORMS)[Language][number];

export function isEnvoyForm(language: Language, name: string): name is EnvoyForm {
  return (ENVOY_FORMS[language] as readonly string[]).includes(name);
}

/**
 * `…Of` placeholders hold a State's name as it stands after "of" (StateEntry.namesOf): "of the Sudan", "du Mexique",
 * "del Perú", "Франции" (genitive), "للصين"; templates write them without a preposition of their own.
 */
export const BASE_PLACEHOLDERS = ['symbol', 'reference', 'paragraph', 'recipientOf', 'date'] as const;

/**
 * The notes about one reported violation, which name its host State ({hostOf}). The campaign notes (circular,
 * views-reminder) go to every State and name no host, so their templates may not use {hostOf}.
 */
export const CASE_NOTE_KINDS: readonly NoteKind[] = NOTE_KINDS.filter((kind) => (NOTE_FACTS[kind].required as readonly FactName[]).includes('hostState'));

/**
 * The placeholder that states each fact of a note (domain/notes NOTE_FACTS): a State by its name after "of", every
 * other fact under its own name. {session} is the General Assembly session written as the ordinal its language puts in
 * "at its … session" ("eighty-first", "quatre-vingt-unième", "octogésimo primer", "восемьдесят первой", "第八十一届",
 * "الحادية والثمانين"); {deadline} and {circularDate} are dates.
 */
const STATE_PLACEHOLDERS = { hostState: 'hostOf', reportedBy: 'reporterOf' } as const satisfies Record<StateFact, string>;
type StateFact = { [F in FactName]: (typeof FACT_TYPES)[F] extends 'state' ? F : never }[FactName];

export function placeholderOf(fact: FactName): string {
  return (STATE_PLACEHOLDERS as Partial<Record<FactName, string>>)[fact] ?? fact;
}

function placeholdersByKind(facts: (kind: NoteKind) => readonly FactName[]): Record<NoteKind, readonly string[]> {
  const out = {} as Record<NoteKind, readonly string[]>;
  for (const kind of NOTE_KINDS) out[kind] = facts(kind).map(placeholderOf);
  return out;
}

/** The placeholders each kind adds to BASE_PLACEHOLDERS: one per fact the kind states. */
export const KIND_PLACEHOLDERS = placeholdersByKind((kind) => [...NOTE_FACTS[kind].required, ...NOTE_FACTS[kind].optional]);

/** The placeholders each kind cannot be written without: one per fact it requires. */
export const REQUIRED_PLACEHOLDERS = placeholdersByKind((kind) => NOTE_FACTS[kind].required);

/** The rendered subject, usable in a body. */
export const SUBJECT_PLACEHOLDER = 'subject';

/** `{name}`, or `{group.name}` for a placeholder of a group ({paragraph.views}). */
export const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)?)\}/g;
/** `[[name: text]]`: text rendered only when the value of `name` is non-empty. */
export const OPTIONAL_BLOCK = /\[\[([A-Za-z][A-Za-z0-9]*):([\s\S]*?)\]\]/g;

export interface NoteTemplate {
  subject: string;
  body: string;
}

export interface Templates {
  common: Record<Language, Record<CommonPiece, string>>;
  /** The addressee's title by language and recipient status, in the forms ENVOY_FORMS lists for the language. */
  envoys: Record<Language, Record<RecipientStatus, Readonly<Partial<Record<EnvoyForm, string>>>>>;
  reportKinds: Record<Language, Record<ReportKind, string>>;
  obligations: Record<Language, Record<Obligation, string>>;
  notes: Record<NoteKind, Record<Language, NoteTemplate>>;
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';

  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: invalid note templates:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Raw = Record<string, unknown>;

/* The templates' shape is checked with zod schemas in the templates' own words, piece by piece, so that
   each problem stands beside the syntax problems of the same piece. */
const MAPPING = z.record(z.string(), z.unknown(), { error: whenAbsent('missing', () => 'must be a mapping') });
const NON_EMPTY = z.string({ error: whenAbsent('missing', () => 'must be a non-empty string') }).refine((value) => value.trim() !== '', { error: 'must be a non-empty string' });

function section(raw: Raw, name: string, problems: string[]): Raw {
  const parsed = MAPPING.safeParse(raw[name]);
  if (parsed.success) return parsed.data;
  problems.push(`section "${name}": ${parsed.error.issues[0]?.message ?? 'must be a mapping'}`);
  return {};
}

function unknownKeys(obj: Raw, known: readonly string[], where: string, what: string, problems: string[]): void {
  const parsed = z.strictObject(Object.fromEntries(known.map((key) => [key, z.unknown().optional()]))).safeParse(obj);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) problems.push(`${where}: unknown ${what} "${key}"`);
  }
}

function text(obj: unknown, key: string, where: string, problems: string[]): string {
  const parsed = NON_EMPTY.safeParse(isRecord(obj) ? obj[key] : undefined);
  if (parsed.success) return parsed.data;
  problems.push(`${where}: ${parsed.error.issues[0]?.message ?? 'must be a non-empty string'}`);
  return '';
}

/** Checks placeholders, optional blocks and stray brackets of one template string. */
function checkSyntax(template: string, allowed: ReadonlySet<string>, blockAllowed: ReadonlySet<string>, where: string, problems: string[]): void {
  let rest = template.replace(OPTIONAL_BLOCK, (_match, name: string, content: string) => {
    if (!blockAllowed.has(name)) problems.push(`${where}: unknown placeholder {${name}} in optional block`);
    if (content.includes('[[')) problems.push(`${where}: optional blocks cannot be nested`);
    return content;
  });
  rest = rest.replace(PLACEHOLDER, (_match, name: string) => {
    if (!allowed.has(name)) problems.push(`${where}: unknown placeholder {${name}}${unknownWhy(name)}`);
    return '';
  });
  if (/[{}]/.test(rest)) problems.push(`${where}: stray "{" or "}" outside a placeholder`);
  if (/\[\[|\]\]/.test(rest)) problems.push(`${where}: unclosed optional block`);
}

/** Why a placeholder is unknown, where the name alone does not say. */
function unknownWhy(name: string): string {
  const [group, member] = name.split('.');
  if (group === 'paragraph' && member !== undefined) return `: "${member}" is not a duty of the resolution (${DUTIES.join(', ')})`;
  if (member !== undefined) return `: only {paragraph.<duty>} placeholders have a dot`;
  return '';
}

/** A dictionary value is inserted as a value: only the resolution's placeholders, which every note knows, are filled in it. */
function parseDictionary<K extends string>(raw: Raw, name: string, keys: readonly K[], problems: string[]): Record<Language, Record<K, string>> {
  const dict = section(raw, name, problems);
  unknownKeys(dict, LANGUAGES, `dictionary "${name}"`, 'language', problems);
  const allowed = new Set<string>(RESOLUTION_PLACEHOLDERS);
  const none = new Set<string>();
  const result = {} as Record<Language, Record<K, string>>;
  for (const language of LANGUAGES) {
    const entries = dict[language];
    if (isRecord(entries)) unknownKeys(entries, keys, `dictionary "${name}", language "${language}"`, 'key', problems);
    const out = {} as Record<K, string>;
    for (const key of keys) {
      const where = `dictionary "${name}", language "${language}", key "${key}"`;
      out[key] = text(entries, key, where, problems);
      checkSyntax(out[key], allowed, none, where, problems);
    }
    result[language] = out;
  }
  return result;
}

function parseEnvoys(raw: Raw, problems: string[]): Templates['envoys'] {
  const dict = section(raw, 'envoys', problems);
  unknownKeys(dict, LANGUAGES, 'dictionary "envoys"', 'language', problems);
  const none = new Set<string>();
  const result = {} as Templates['envoys'];
  for (const language of LANGUAGES) {
    const byStatus = dict[language];
    if (isRecord(byStatus)) unknownKeys(byStatus, RECIPIENT_STATUSES, `dictionary "envoys", language "${language}"`, 'status', problems);
    const out = {} as Templates['envoys'][Language];
    for (const status of RECIPIENT_STATUSES) {
      const entries = isRecord(byStatus) ? byStatus[status] : undefined;
      const at = `dictionary "envoys", language "${language}", status "${status}"`;
      if (isRecord(entries)) unknownKeys(entries, ENVOY_FORMS[language], at, 'form', problems);
      const forms: Partial<Record<EnvoyForm, string>> = {};
      for (const form of ENVOY_FORMS[language]) {
        const where = `${at}, form "${form}"`;
        forms[form] = text(entries, form, where, problems);
        checkSyntax(forms[form], none, none, where, problems);
      }
      out[status] = forms;
    }
    result[language] = out;
  }
  return result;
}

const placeholderList = (language: Language) => ENVOY_FORMS[language].map((form) => `{${form}}`).join(', ');

/** A template must not write the addressee's title itself, or observer States would get a member's title. */
function checkTitlesWritten(envoys: Templates['envoys'], language: Language, template: string, where: string, problems: string[]): void {
  let found: { title: string; form: EnvoyForm } | undefined;
  for (const status of RECIPIENT_STATUSES) {
    for (const form of ENVOY_FORMS[language]) {
      const title = envoys[language][status][form] ?? '';
      if (title.trim() !== '' && template.includes(title) && title.length > (found?.title.length ?? 0)) found = { title, form };
    }
  }
  if (found) problems.push(`${where}: writes the addressee's title "${found.title}" itself; use {${found.form}}, which follows the recipient's status`);
}

/** Validates raw (parsed YAML) note templates; `source` names them in errors. */
export function parseTemplates(raw: unknown, source: string): Templates {
  const problems: string[] = [];
  if (!isRecord(raw)) throw new TemplateError(source, ['must be a mapping with sections common, envoys, reportKinds, obligations and notes']);
  unknownKeys(raw, ['common', 'envoys', 'reportKinds', 'obligations', 'notes'], 'top level', 'section', problems);

  /** Every template string, checked against the titles once the dictionary is read. */
  const written: { language: Language; template: string; where: string }[] = [];
  const commonRaw = section(raw, 'common', problems);
  unknownKeys(commonRaw, LANGUAGES, 'common', 'language', problems);
  const common = {} as Templates['common'];
  for (const language of LANGUAGES) {
    const pieces = commonRaw[language];
    if (isRecord(pieces)) {
      unknownKeys(pieces, [...COMMON_PIECES, 'resolutionTitle'], `common, language "${language}"`, 'field', problems);
      // Templates written before the resolution became configuration carried its title here.
      if (Object.hasOwn(pieces, 'resolutionTitle')) {
        problems.push(`common, language "${language}": field "resolutionTitle" is no longer read; {resolutionTitle} is the title in the resolution file (title.${language}): remove it here`);
      }
    }
    const out = {} as Record<CommonPiece, string>;
    const base = new Set<string>([...BASE_PLACEHOLDERS, ...RESOLUTION_PLACEHOLDERS, ...ENVOY_FORMS[language]]);
    for (const piece of COMMON_PIECES) {
      const where = `common, language "${language}", field "${piece}"`;
      out[piece] = text(pieces, piece, where, problems);
      checkSyntax(out[piece], base, new Set(), where, problems);
      written.push({ language, template: out[piece], where });
      const named = [...out[piece].matchAll(PLACEHOLDER)].some((match) => isEnvoyForm(language, match[1] ?? ''));
      if ((ADDRESSING_PIECES as readonly string[]).includes(piece) && out[piece] !== '' && !named) {
        problems.push(`${where}: does not name the addressee; write the title with one of ${placeholderList(language)}`);
      }
    }
    common[language] = out;
  }

  const envoys = parseEnvoys(raw, problems);
  const reportKinds = parseDictionary(raw, 'reportKinds', REPORT_KINDS, problems);
  const obligations = parseDictionary(raw, 'obligations', OBLIGATIONS, problems);

  const notesRaw = section(raw, 'notes', problems);
  unknownKeys(notesRaw, NOTE_KINDS, 'notes', 'kind', problems);
  const notes = {} as Templates['notes'];
  for (const kind of NOTE_KINDS) {
    const byLanguage = notesRaw[kind];
    if (!isRecord(byLanguage)) {
      // A kind left out altogether is one problem, not one per language and field.
      problems.push(`notes, kind "${kind}": ${byLanguage === undefined ? 'missing' : 'must be a mapping of languages'}`);
      continue;
    }
    unknownKeys(byLanguage, LANGUAGES, `kind "${kind}"`, 'language', problems);
    const vars = new Set<string>([...BASE_PLACEHOLDERS, ...KIND_PLACEHOLDERS[kind]]);
    const out = {} as Record<Language, NoteTemplate>;
    for (const language of LANGUAGES) {
      const inSubject = new Set<string>([...vars, ...RESOLUTION_PLACEHOLDERS, ...ENVOY_FORMS[language], ...COMMON_PIECES]);
      const inBody = new Set<string>([...inSubject, SUBJECT_PLACEHOLDER]);
      const note = byLanguage[language];
      const where = (field: string) => `kind "${kind}", language "${language}", field "${field}"`;
      if (isRecord(note)) unknownKeys(note, ['subject', 'body'], `kind "${kind}", language "${language}"`, 'field', problems);
      const subject = text(note, 'subject', where('subject'), problems);
      const body = text(note, 'body', where('body'), problems);
      checkSyntax(subject, inSubject, vars, where('subject'), problems);
      checkSyntax(body, inBody, vars, where('body'), problems);
      written.push({ language, template: subject, where: where('subject') }, { language, template: body, where: where('body') });
      out[language] = { subject, body };
    }
    notes[kind] = out;
  }

  for (const { language, template, where } of written) checkTitlesWritten(envoys, language, template, where, problems);

  if (problems.length > 0) throw new TemplateError(source, problems);
  return { common, envoys, reportKinds, obligations, notes };
}

export function loadTemplates(file: string = packagePath('config', 'templates.yaml')): Templates {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TemplateError(file, [error instanceof Error ? error.message : String(error)]);
  }
  return parseTemplates(raw, file);
}
