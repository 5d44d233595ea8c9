import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/** What the loaders of data files (the State directory, the instruments) share: reading JSON or YAML, and naming the failure. */

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a data file holds, as its errors name it: "a State directory" and "the State directory". */
export interface DataFileKind {
  a: string;
  the: string;
}

/** Reads a data file written as JSON or YAML (by its extension); every failure names the file and what it should hold. */
export function readDataFile(file: string, kind: DataFileKind, fail: (message: string) => Error): unknown {
  if (!['.json', '.yaml', '.yml'].includes(path.extname(file).toLowerCase())) throw fail(`${file}: ${kind.a} must be a .json, .yaml or .yml file`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw fail(`${file}: cannot read ${kind.the} (${messageOf(error)})`);
  }
  return parseDataText(text, file, fail);
}

/** Parses the text of a data file: YAML for a .yaml or .yml source, JSON otherwise. */
export function parseDataText(text: string, source: string, fail: (message: string) => Error): unknown {
  const json = !['.yaml', '.yml'].includes(path.extname(source).toLowerCase());
  try {
    return json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw fail(`${source}: not valid ${json ? 'JSON' : 'YAML'} (${messageOf(error)})`);
  }
}
