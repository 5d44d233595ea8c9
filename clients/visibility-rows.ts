import { type Client, isGrpcServiceError, ServiceError } from '@temporalio/client';
import { rethrowKnownErrorTypes } from '@temporalio/client/lib/helpers';
import { type SearchAttributeType, WorkflowNotFoundError } from '@temporalio/common';
import { typedSearchAttributePayloadConverter } from '@temporalio/common/lib/converter/payload-search-attributes';
import { decode } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { isValidValueForType, type SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { requiredTsToDate } from '@temporalio/common/lib/time';
import { type temporal } from '@temporalio/proto';

/**
 * Visibility rows read lean: `client.workflow.list` decodes every row whole (each memo field through
 * the codec on a promise of its own, every search attribute twice) where a listing of cases needs a
 * few attributes and one memo field. Here a page is decoded once, only as far as asked: per row the
 * named typed attributes, and one memo field of the whole page in a single codec call.
 */

export type RawExecution = temporal.api.workflow.v1.IWorkflowExecutionInfo;

/** One row as read: its raw execution, and the asked-for memo field decoded (undefined when the row has none). */
export interface VisibilityRow {
  raw: RawExecution;
  memoField: unknown;
}

/** Rows of a visibility query, a page at a time, each page decoded before it is given. */
export async function* visibilityPages(client: Client, query: string, pageSize: number, memoField: string): AsyncGenerator<VisibilityRow[]> {
  let nextPageToken: Uint8Array = Buffer.alloc(0);
  for (;;) {
    const response = await listPage(client, query, pageSize, nextPageToken);
    yield await withMemoField(client, response.executions, memoField);
    if (!response.nextPageToken?.length) return;
    nextPageToken = response.nextPageToken;
  }
}

/** gRPC's NOT_FOUND status. */
const GRPC_NOT_FOUND = 5;

async function listPage(client: Client, query: string, pageSize: number, nextPageToken: Uint8Array) {
  try {
    return await client.workflowService.listWorkflowExecutions({ namespace: client.options.namespace, query, pageSize, nextPageToken });
  } catch (err) {
    // The errors `client.workflow.list` gives, so that a failed listing reads as it always has.
    if (!isGrpcServiceError(err)) throw new ServiceError('Unexpected error while making gRPC request', { cause: err as Error });
    rethrowKnownErrorTypes(err);
    if (Number(err.code) === GRPC_NOT_FOUND) throw new WorkflowNotFoundError(err.details ?? 'Workflow not found', '', undefined);
    throw new ServiceError('Failed to list workflows', { cause: err });
  }
}

/** The page's rows with one memo field each, its payloads decoded through the codecs together. */
async function withMemoField(client: Client, executions: RawExecution[], field: string): Promise<VisibilityRow[]> {
  const { payloadCodecs, payloadConverter } = client.options.loadedDataConverter;
  const present = executions.flatMap((raw, index) => {
    const payload = raw.memo?.fields?.[field];
    return payload ? [{ index, payload }] : [];
  });
  const decoded = await decode(payloadCodecs, present.map((p) => p.payload));
  const values = new Map(present.map(({ index }, i) => [index, payloadConverter.fromPayload(decoded[i]!)]));
  return executions.map((raw, index) => ({ raw, memoField: values.get(index) }));
}

/** A typed search attribute of a raw row, as `WorkflowExecutionInfo.typedSearchAttributes.get(key)` reads it. */
export function typedAttribute<T extends SearchAttributeType>(raw: RawExecution, key: SearchAttributeKey<T>) {
  const payload = raw.searchAttributes?.indexedFields?.[key.name];
  if (!payload) return undefined;
  const value: unknown = typedSearchAttributePayloadConverter.fromPayload<{ value: unknown } | undefined>(payload)?.value;
  return isValidValueForType(key.type, value) ? value : undefined;
}

export const startTimeOf = (raw: RawExecution): Date => requiredTsToDate(raw.startTime, 'startTime');
