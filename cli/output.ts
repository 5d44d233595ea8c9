import { errorKind, isUserError } from '../clients/errors';
import { EXIT_BAD_INPUT, EXIT_FAILURE } from './exit-codes';

/** The one place the command line writes: plain lines or, with --json, one JSON document. */
export interface Output {
  json: boolean;
  line(text?: string): void;
  data(value: unknown, human: () => string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    line: (text = '') => void process.stdout.write(`${text}\n`),
    data: (value, human) => void process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`),
  };
}


/** Print an error the way the contract says and give its exit code: 2 for the user's to fix, 1 otherwise. */
export function reportError(err: unknown, json: boolean): number {
  // Bad configuration or data files are the user's to fix, like bad arguments.
  const userError = isUserError(err) || (err instanceof Error && ['ConfigError', 'DirectoryError', 'TemplateError', 'ResolutionError', 'PayloadKeyError', 'MissingSearchAttributesError'].includes(err.name));
  const message = err instanceof Error ? err.message : String(err);
  if (json) process.stdout.write(`${JSON.stringify({ error: { kind: errorKind(err), message, ...problemsOf(err) } }, null, 2)}\n`);
  process.stderr.write(`obligations: ${message}\n`);
  return userError ? EXIT_BAD_INPUT : EXIT_FAILURE;
}

function problemsOf(err: unknown): { problems?: unknown } {
  const problems = (err as { problems?: unknown[] }).problems;
  return Array.isArray(problems) && problems.length ? { problems } : {};
}
