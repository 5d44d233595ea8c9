import {
  allHandlersFinished, condition, log, makeContinueAsNewFunc, patched, proxyActivities, proxyLocalActivities, workflowInfo,
} from '@temporalio/workflow';
import type { PolicyActivities } from '../../activities/types';
import { type CaseRegistration, statesDirectlyConcerned } from '../../domain/case';
import { localDate } from '../../domain/dates';
import { type CasePolicy } from '../../domain/policy';
import { DIRECTORY_LOOKUP, POLICY_LOOKUP } from '../activity-options';
import { CaseEntity } from './entity';
import { setCaseHandlers } from './handlers';
import { attentionNote, circulationNote } from './notes';
import { casePublisher } from './publish';
import { type CaseState, type CaseView, compactNotes, deliveriesInFlight } from './view';

export interface CaseInput {
  registration: CaseRegistration;
  /** The policy to run under; by default the worker's configuration when the case starts. */
  policy?: CasePolicy;
  /** Who registered the case. */
  actor: string;
  /** The case so far, when it continues as new. */
  carried?: CaseState;
  /** History length past which the case continues as new; the server's own suggestion also counts. */
  historyLimit?: number;
}

const { currentCasePolicy } = proxyActivities<PolicyActivities>(DIRECTORY_LOOKUP);
const local = proxyLocalActivities<PolicyActivities>(POLICY_LOOKUP);

/** Cases started before the policy was read locally replay the remote read. */
export const LOCAL_POLICY_PATCH = 'local-policy';

/** One reported serious violation, from its registration under 11 (a) to its closing. */
export async function caseWorkflow(input: CaseInput): Promise<CaseView> {
  const registration = input.carried?.registration ?? input.registration;
  const entity = new CaseEntity(registration);
  const { reference, hostState } = entity;
  setCaseHandlers(entity);

  const policy = input.carried?.policy ?? input.policy ?? (patched(LOCAL_POLICY_PATCH) ? await local.currentCasePolicy() : await currentCasePolicy());
  entity.begin(input.carried ?? { registration, policy, events: [], batches: 0 });
  // A case carried by an older release holds a record per recipient: from now on, per-batch counts.
  compactNotes(entity.state);
  if (!input.carried) register(entity, input.actor);

  const publish = casePublisher(hostState);
  const historyLimit = input.historyLimit ?? 10_000;
  const historyIsLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyLimit;
  let flagged = entity.clock().unresponsive;

  for (;;) {
    const current = entity.clock();
    publish(current, entity.state);
    if (current.status === 'closed') break;
    if (current.unresponsive && !flagged) {
      entity.record({ at: entity.now(), actor: 'system', action: 'flagged-unresponsive' });
      log.info('case flagged unresponsive', { reference, hostState });
    }
    flagged = current.unresponsive;
    const next = current.next;
    if (next?.action === 'remind' && next.at.getTime() <= Date.now()) {
      entity.record({ at: entity.now(), actor: 'system', action: 'reminder-sent', to: hostState, owed: next.deadline.kind, dueAt: next.deadline.dueAt, number: next.number, scheduledAt: next.at.toISOString() });
      const dueOn = localDate(new Date(next.deadline.dueAt), entity.policy.deadlines.zone);
      entity.deliverLater({ kind: 'reminder', facts: { reference, hostState, owed: next.deadline.kind, dueOn, reminderNumber: next.number } }, [hostState]);
      continue;
    }
    if (historyIsLong() && deliveriesInFlight(entity.state) === 0) {
      await condition(allHandlersFinished);
      compactNotes(entity.state);
      // The memo (the registration's fingerprint and date) travels with the case.
      await makeContinueAsNewFunc<typeof caseWorkflow>({ memo: workflowInfo().memo })({ registration, actor: input.actor, historyLimit: input.historyLimit, carried: entity.state });
    }
    const seen = entity.version;
    const wake = () => entity.version !== seen;
    if (next) await condition(wake, next.at.getTime() - Date.now(), { summary: `${next.action} ${reference}` });
    else await condition(wake);
  }

  await condition(() => deliveriesInFlight(entity.state) === 0 && allHandlersFinished());
  return entity.view();
}

/** A new case: recorded, circulated under 12 (b) unless asked otherwise, and the attention of the States concerned drawn (12 (c)) or held. */
function register(entity: CaseEntity, actor: string): void {
  const { registration: r, hostState } = entity;
  entity.record({ at: entity.now(), actor, action: 'registered', reportedBy: r.reportedBy, hostState, circulate: r.circulate });
  if (r.circulate) entity.deliverLater(circulationNote(r, { from: r.reportedBy, kind: 'violation', receivedOn: r.receivedOn, summary: r.summary }));
  const concerned = statesDirectlyConcerned(r);
  if (concerned.length === 0) return;
  if (entity.policy.attention === 'auto') entity.deliverLater(attentionNote(r), concerned);
  else entity.record({ at: entity.now(), actor: 'system', action: 'attention-held', states: concerned });
}
