import { type Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { CASE_SEARCH_ATTRIBUTES } from '../workflows/case/search-attributes';
import { searchAttributeTypeName } from './dev-server';

type Key = (typeof CASE_SEARCH_ATTRIBUTES)[number];

/** gRPC's PERMISSION_DENIED and UNIMPLEMENTED: what a server answers whose operator API is not ours to use (Temporal Cloud). */
const NOT_ALLOWED = [7, 12];
/** gRPC's INVALID_ARGUMENT: what a visibility query answers that names an attribute the namespace lacks. */
const INVALID_ARGUMENT = 3;

/** The search attributes the namespace lacks and the server would not let the worker add. */
export class MissingSearchAttributesError extends Error {
  override name = 'MissingSearchAttributesError';
}

/**
 * Register the product's search attributes where the namespace lacks them; present ones are left
 * alone. Where the operator API is closed to the worker, which ones are missing is found by a
 * visibility query each, and the message says how to add them.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  let missing: Key[];
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
    missing = CASE_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  } catch (err) {
    if (!NOT_ALLOWED.includes(codeOf(err))) throw err;
    missing = await unknownToQueries(connection, namespace);
  }
  if (missing.length === 0) return [];
  try {
    await addSearchAttributes(connection, namespace, missing);
  } catch (err) {
    if (!NOT_ALLOWED.includes(codeOf(err))) throw err;
    throw new MissingSearchAttributesError(missingMessage(namespace, missing, (err as Error).message));
  }
  return missing.map((key) => key.name);
}

export async function addSearchAttributes(connection: Connection, namespace: string, keys = CASE_SEARCH_ATTRIBUTES): Promise<void> {
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(keys.map((key) => [key.name, temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`]])),
  });
}

async function unknownToQueries(connection: Connection, namespace: string): Promise<Key[]> {
  const missing: Key[] = [];
  for (const key of CASE_SEARCH_ATTRIBUTES) {
    try {
      await connection.workflowService.countWorkflowExecutions({ namespace, query: `${key.name} IS NOT NULL` });
    } catch (err) {
      if (codeOf(err) !== INVALID_ARGUMENT) throw err;
      missing.push(key);
    }
  }
  return missing;
}

export function missingMessage(namespace: string, missing: readonly Key[], refusal: string): string {
  const pairs = missing.map((key) => `${key.name}=${searchAttributeTypeName(key.type)}`);
  return [
    `namespace ${namespace} lacks the search attributes ${pairs.join(', ')}, and the server would not let the worker add them (${refusal}).`,
    'Add them once, then start the worker again:',
    `  Temporal Cloud:  tcld namespace search-attributes add --namespace ${namespace} ${pairs.map((pair) => `--search-attribute "${pair}"`).join(' ')}`,
    `  self-hosted:     ${missing.map((key) => `temporal operator search-attribute create --namespace ${namespace} --name ${key.name} --type ${searchAttributeTypeName(key.type)}`).join(' && ')}`,
  ].join('\n');
}

const codeOf = (err: unknown): number => {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : -1;
};
