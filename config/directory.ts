import path from 'node:path';
import { LANGUAGES, isLanguage } from '../domain/languages';
import { ISO3_PATTERN, type Iso3, type StateEntry } from '../domain/states';
import { isRecord, kindOf, readDataFile } from './data-checks';

/** The State directory shipped with the engine. */
export const DEFAULT_DIRECTORY_PATH = path.join(__dirname, 'states.json');

/** How many problems a DirectoryError spells out before summarising the rest. */
const MAX_REPORTED = 10;

const STATUSES = ['member', 'observer'] as const;
const ENTRY_FIELDS = ['code', 'status', 'names', 'namesOf', 'language', 'email'];
/** Simple on purpose: one @, no spaces, and a dotted domain ending in a letters-only TLD. */
const EMAIL_PATTERN = /^[^\s@]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;

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
    const problem = (field: string, message: string) => problems.push(`${at}: ${field} ${message}`);

    if (!isRecord(item)) {
      problems.push(`${at}: must be an object, not ${kindOf(item)}`);
      return;
    }
    for (const key of Object.keys(item)) if (!ENTRY_FIELDS.includes(key)) problem(key, 'is not a known field');

    if (item.code === undefined) problem('code', 'is missing');
    else if (typeof item.code !== 'string' || !ISO3_PATTERN.test(item.code)) {
      problem('code', `must be three capital letters (ISO 3166-1 alpha-3), not ${JSON.stringify(item.code)}`);
    } else {
      const first = firstIndexOf.get(item.code);
      if (first !== undefined) problem('code', `${item.code} is already used by entry ${first}`);
      else firstIndexOf.set(item.code, index);
    }

    if (item.status === undefined) problem('status', 'is missing');
    else if (!(STATUSES as readonly unknown[]).includes(item.status)) {
      problem('status', `must be one of ${STATUSES.join(', ')}, not ${JSON.stringify(item.status)}`);
    }

    for (const field of ['names', 'namesOf'] as const) {
      const names = item[field];
      if (names === undefined) problem(field, 'is missing');
      else if (!isRecord(names)) problem(field, `must be an object of names by language, not ${kindOf(names)}`);
      else {
        for (const language of LANGUAGES) {
          const name = names[language];
          if (name === undefined) problem(`${field}.${language}`, 'is missing');
          else if (typeof name !== 'string' || name.trim() === '') problem(`${field}.${language}`, 'must be a non-empty string');
        }
        for (const key of Object.keys(names)) {
          if (!isLanguage(key)) problem(`${field}.${key}`, `is not an official language (${LANGUAGES.join(', ')})`);
        }
      }
    }

    if (item.language === undefined) problem('language', 'is missing');
    else if (!isLanguage(item.language)) {
      problem('language', `must be one of ${LANGUAGES.join(', ')}, not ${JSON.stringify(item.language)}`);
    }

    if (item.email === undefined) problem('email', 'is missing');
    else if (typeof item.email !== 'string' || !EMAIL_PATTERN.test(item.email)) {
      problem('email', `must be an e-mail address like name@example.org, not ${JSON.stringify(item.email)}`);
    }

    if (problems.length === before) entries.push(toEntry(item));
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

/** Copies only the known fields, so stray data never travels on into notes or workflow state. */
function toEntry(item: Record<string, unknown>): StateEntry {
  const byLanguage = (value: unknown) => {
    const names = value as Record<string, string>;
    return Object.freeze(Object.fromEntries(LANGUAGES.map((language) => [language, names[language]]))) as StateEntry['names'];
  };
  return Object.freeze({
    code: item.code as Iso3,
    status: item.status as StateEntry['status'],
    names: byLanguage(item.names),
    namesOf: byLanguage(item.namesOf),
    language: item.language as StateEntry['language'],
    email: item.email as string,
  });
}
