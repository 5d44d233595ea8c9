import { type Client } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { type temporal } from '@temporalio/proto';
import { jsonBytes } from '../../domain/limits';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Payloads = temporal.api.common.v1.IPayloads | null | undefined;

/** One run of a workflow's chain across continue-as-new, with its whole history. */
export interface Run {
  runId: string;
  events: HistoryEvent[];
}

/** Every run of a workflow, from its first: each run's first event names the run it continued. */
export async function runsOf(client: Client, workflowId: string): Promise<Run[]> {
  const runs: Run[] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const events = await historyOf(client, workflowId, runId);
    runs.unshift({ runId, events });
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}

/** A run's events, read a page at a time: a long run's whole history is more than one gRPC message may carry. */
async function historyOf(client: Client, workflowId: string, runId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace, execution: { workflowId, runId }, maximumPageSize: 100, ...(nextPageToken ? { nextPageToken } : {}),
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return events;
}

/** The value of a history event's payloads, decoded as the client decodes them. */
export function decoded<T>(client: Client, payloads: Payloads): Promise<T> {
  return decodeFromPayloadsAtIndex<T>(client.options.loadedDataConverter, 0, payloads?.payloads ?? []);
}

/** A payload the case itself wrote, as JSON in UTF-8 bytes once decoded (the server weighs it encrypted, a little more). */
export interface WrittenPayload {
  what: 'input' | 'update answer' | 'continue-as-new input' | 'result';
  bytes: number;
}

/**
 * The payloads a run of the case wrote or was given: its input (the state carried across, for a run
 * that continued another), each update's answer and its result.
 */
export async function casePayloads(client: Client, run: Run): Promise<WrittenPayload[]> {
  const weigh = async (what: WrittenPayload['what'], payloads: Payloads): Promise<WrittenPayload[]> =>
    (payloads?.payloads?.length ? [{ what, bytes: jsonBytes(await decoded(client, payloads)) }] : []);
  const written: WrittenPayload[] = [];
  for (const event of run.events) {
    written.push(
      ...await weigh(event.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ? 'continue-as-new input' : 'input', event.workflowExecutionStartedEventAttributes?.input),
      ...await weigh('update answer', event.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success),
      ...await weigh('result', event.workflowExecutionCompletedEventAttributes?.result),
    );
  }
  return written;
}
