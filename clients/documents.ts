import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from './errors';

/** Parse a case or report written as JSON or YAML; the name's extension picks the parser when it has one. */
export function parseDocument(text: string, name: string): unknown {
  const extension = extname(name).toLowerCase();
  const asJson = () => JSON.parse(text) as unknown;
  const asYaml = () => parseYaml(text) as unknown;
  const attempts = extension === '.json' ? [asJson] : ['.yaml', '.yml'].includes(extension) ? [asYaml] : [asJson, asYaml];
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      const value = attempt();
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('it does not hold an object of fields');
      return value;
    } catch (err) {
      lastError = err;
    }
  }
  throw new InputError(`${name} is not a JSON or YAML object: ${(lastError as Error).message}`);
}

export function readDocument(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return parseDocument(text, path);
}
