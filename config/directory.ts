import { z } from 'zod';
import { LANGUAGES, type Language } from '../domain/languages';
import { isRecord, issuesOf, kindOf, whenAbsent } from '../domain/schema';
import { ISO3_PATTERN, type Iso3, LIST_BRACKET, nameInText, type StateEntry } from '../domain/states';
import { readDataFile } from './data-checks';
import { packagePath } from './package-root';

/** The State directory shipped with the engine. */
export const DEFAULT_DIRECTORY_PATH = packagePath('config', 'states.json');

/** How many problems a DirectoryError spells out before summarising the rest. */
const MAX_REPORTED = 10;

const STATUSES = ['member', 'observer'] as const;
/** Simple on purpose: one @, no spaces, and a dotted domain ending in a letters-only TLD. */
const EMAIL_PATTERN = /^[^\s@]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;

const missingOr = (otherwise: (input: unknown) => string) => ({ error: whenAbsent('is missing', otherwise) });
const oneOf = (values: readonly string[]) => missingOr((input) => `must be one of ${values.join(', ')}, not ${JSON.stringify(input)}`);
const name = z.string(missingOr(() => 'must be a non-empty string')).refine((text) => text.trim() !== '', { error: 'must be a non-empty string' });
const namesByLanguage = z.strictObject(Object.fromEntries(LANGUAGES.map((language) => [language, name])) as Record<Language, typeof name>, {
  error: (issue) => (issue.code === 'unrecognized_keys'
    ? `is not an official language (${LANGUAGES.join(', ')})`
    : whenAbsent('is missing', (input) => `must be an object of names by language, not ${kindOf(input)}`)(issue)),
});

/** Running-text forms, only for the languages that need one. */
const someNamesByLanguage = z.strictObject(Object.fromEntries(LANGUAGES.map((language) => [language, name.optional()])) as Record<Language, z.ZodOptional<typeof name>>, {
  error: (issue) => (issue.code === 'unrecognized_keys'
    ? `is not an official language (${LANGUAGES.join(', ')})`
    : `must be an object of names by language, not ${kindOf(issue.input)}`),
});

/** One entry of the directory, with its fields' problems in the directory's words. */
const ENTRY = z.strictObject({
  code: z.string(missingOr((input) => `must be three capital letters (ISO 3166-1 alpha-3), not ${JSON.stringify(input)}`))
    .regex(ISO3_PATTERN, { error: (issue) => `must be three capital letters (ISO 3166-1 alpha-3), not ${JSON.stringify(issue.input)}` }),
  status: z.enum(STATUSES, oneOf(STATUSES)),
  names: namesByLanguage,
  namesOf: namesByLanguage,
  namesInText: someNamesByLanguage.optional(),
  language: z.enum(LANGUAGES, oneOf(LANGUAGES)),
  email: z.string(missingOr((input) => `must be an e-mail address like name@example.org, not ${JSON.stringify(input)}`))
    .regex(EMAIL_PATTERN, { error: (issue) => `must be an e-mail address like name@example.org, not ${JSON.stringify(issue.input)}` }),
}, { error: (issue) => (issue.code === 'unrecognized_keys' ? 'is not a known field' : `must be an object, not ${kindOf(issue.input)}`) });

export class DirectoryError extends Error {
  override name = 'DirectoryError';

  constructor(message: string, readonly problems: readonly string[] = [message]) {
    super(message);
  }
}

/** The States to which the Secretariat sends notes, looked up by ISO 3166-1 alpha-3 code. */
export class Directory {
  private readonly entries = new Map<Iso3, StateEntry>();

  constructor(entries: readonly StateEntry[]) {
    for (const entry of entries) {
      if (this.entries.has(entry.code)) throw new DirectoryError(`duplicate State code ${entry.code}`);
      this.entries.set(entry.code, entry);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(code: Iso3): StateEntry | undefined {
    return this.entries.get(code);
  }

  require(code: Iso3): StateEntry {
    const entry = this.entries.get(code);
    if (!entry) throw new DirectoryError(`unknown State code ${JSON.stringify(code)}: not in the State directory`);
    return entry;
  }

  has(code: Iso3): boolean {
    return this.entries.has(code);
  }

  codes(): Iso3[] {
    return [...this.entries.keys()].sort();
  }
}

/**
 * Validates untrusted directory data and builds a Directory. Every problem is collected and reported
 * as `<source>: entry <index> (<code>): <field> <what is wrong>`, indexes counting from 0 as in the array.
 */
export function parseDirectory(raw: unknown, source: string): Directory {
  if (!Array.isArray(raw)) {
    throw new DirectoryError(`${source}: the State directory must be an array of entries, not ${kindOf(raw)}`);
  }
  if (raw.length === 0) throw new DirectoryError(`${source}: the State directory is empty`);

  const problems: string[] = [];
  const entries: StateEntry[] = [];
  const firstIndexOf = new Map<string, number>();

  raw.forEach((item: unknown, index) => {
    const code = isRecord(item) && typeof item.code === 'string' ? item.code : '?';
    const at = `${source}: entry ${index} (${code})`;
    const before = problems.length;
    const parsed = ENTRY.safeParse(item);
    if (!parsed.success) for (const issue of issuesOf(parsed.error)) problems.push(`${at}: ${issue.path ? `${issue.path} ` : ''}${issue.message}`);
    if (isRecord(item) && typeof item.code === 'string' && ISO3_PATTERN.test(item.code)) {
      const first = firstIndexOf.get(item.code);
      if (first !== undefined) problems.push(`${at}: code ${item.code} is already used by entry ${first}`);
      else firstIndexOf.set(item.code, index);
    }
    if (parsed.success) for (const problem of runningTextProblems(parsed.data)) problems.push(`${at}: ${problem}`);
    if (parsed.success && problems.length === before) entries.push(freeze(parsed.data));
  });

  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED);
    if (problems.length > MAX_REPORTED) shown.push(`${source}: … and ${problems.length - MAX_REPORTED} more problems`);
    throw new DirectoryError(shown.join('\n'), problems);
  }
  return new Directory(entries);
}

/** Reads a State directory from a .json, .yaml or .yml file. */
export function loadDirectory(file: string): Directory {
  return parseDirectory(readDataFile(file, { a: 'a State directory', the: 'the State directory' }, (message) => new DirectoryError(message)), file);
}

/** Every sentence that names a State needs its running-text form in each language; a list form's bracket must not reach one. */
function runningTextProblems(entry: StateEntry): string[] {
  const problems: string[] = [];
  for (const language of LANGUAGES) {
    const running = nameInText(entry, language);
    if (running === undefined) {
      problems.push(language === 'en' || language === 'fr' || language === 'es'
        ? `namesOf.${language} ${JSON.stringify(entry.namesOf[language])} does not start with a preposition the running-text form can be read from; give namesInText.${language}`
        : `names.${language} ${JSON.stringify(entry.names[language])} is a bracketed list form; give its running-text form as namesInText.${language}`);
    } else if (LIST_BRACKET.test(running)) {
      problems.push(`the running-text form ${JSON.stringify(running)} (${language}) keeps a list form's bracket; give namesInText.${language}`);
    }
  }
  return problems;
}

/** Frozen, so that no part of the process changes a State's entry once it is read. */
function freeze(entry: StateEntry): StateEntry {
  return Object.freeze({
    ...entry, names: Object.freeze({ ...entry.names }), namesOf: Object.freeze({ ...entry.namesOf }),
    ...(entry.namesInText ? { namesInText: Object.freeze({ ...entry.namesInText }) } : {}),
  });
}
