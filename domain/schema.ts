import { type z } from 'zod';

/**
 * The product's data files and requests are checked with zod schemas whose messages are written
 * here in the product's own words; these helpers turn a failed parse into those words, one problem
 * per field.
 */

/** A field's path as messages write it: "names.ru", "victims[0].name", "instruments[2].actions[5].date". */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${String(key)}` : String(key)), '');
}

export interface Issue {
  /** The path of the field, from the value that was parsed ("" for the value itself). */
  path: string;
  message: string;
}

/**
 * One issue per field, an unknown key an issue of its own: the parsed value's own unknown keys first
 * (a mistyped field name explains the rest), then the others in the order zod found them.
 */
export function issuesOf(error: z.ZodError): Issue[] {
  const expand = (issue: z.core.$ZodIssue): Issue[] => (issue.code === 'unrecognized_keys'
    ? issue.keys.map((key) => ({ path: fieldPath([...issue.path, key]), message: issue.message }))
    : [{ path: fieldPath(issue.path), message: issue.message }]);
  const ownUnknown = (issue: z.core.$ZodIssue) => issue.code === 'unrecognized_keys' && issue.path.length === 0;
  return [...error.issues.filter(ownUnknown).flatMap(expand), ...error.issues.filter((issue) => !ownUnknown(issue)).flatMap(expand)];
}

/** The message for a value that is absent (`absent`), or else for what was found instead. */
export function whenAbsent(absent: string, otherwise: (input: unknown) => string): (issue: { input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? absent : otherwise(issue.input));
}

/** An object of fields: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a value is, for a message that says what was found instead of what was expected. */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
