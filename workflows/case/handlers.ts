import { condition, setHandler } from '@temporalio/workflow';
import { statesDirectlyConcerned } from '../../domain/case';
import { type DeadlineChange } from '../../domain/deadline-changes';
import { refusal } from '../../domain/refusals';
import { describeProblems } from '../../domain/validation';
import { refused, refuseIf } from '../refusals';
import { type CaseEntity } from './entity';
import { attentionNote, circulationNote } from './notes';
import {
  type Accountable, type AttentionDecision, attentionUpdate, closeUpdate, deadlineUpdate, NOT_STARTED, type ReportRequest, reportUpdate, viewQuery,
} from './messages';

/**
 * The case's messages, set before the workflow's first wait: a request that arrives while the case
 * starts waits for it, it is not turned away. Each validator refuses before anything touches history;
 * each handler checks again (state may have moved on while it waited) and acts.
 */
export function setCaseHandlers(entity: CaseEntity): void {
  // Validators judge a request once the case has started; until then its handler waits and judges it.
  const whenStarted = (check: () => void) => {
    if (entity.started) check();
  };
  setHandler(viewQuery, () => {
    if (!entity.started) throw refused(refusal('NotStarted', `case ${entity.reference} ${NOT_STARTED}`));
    return entity.view();
  });
  setHandler(reportUpdate, async (request) => {
    await condition(() => entity.started);
    refuseIf(entity.reportProblem(request));
    const checked = entity.checkedReport(request);
    if (!checked.ok) throw refused(refusal('InvalidRequest', describeProblems(checked.problems)));
    // Recorded as validation read it: trimmed, defaults applied.
    const report = checked.value;
    entity.record({ at: entity.now(), actor: request.actor.trim(), action: 'report-received', report });
    if (report.circulate) entity.deliverLater(circulationNote(entity.registration, report));
    return entity.view();
  }, { validator: (request: ReportRequest) => whenStarted(() => refuseIf(entity.reportProblem(request))) });

  setHandler(deadlineUpdate, async (change) => {
    await condition(() => entity.started);
    entity.record(entity.plannedChange(change));
    return entity.view();
  }, { validator: (change: DeadlineChange) => whenStarted(() => entity.plannedChange(change)) });

  setHandler(attentionUpdate, async (decision) => {
    await condition(() => entity.started);
    refuseIf(entity.attentionProblem(decision));
    const states = statesDirectlyConcerned(entity.registration);
    entity.record({ at: entity.now(), actor: decision.actor.trim(), reason: decision.reason.trim(), action: decision.approve ? 'attention-approved' : 'attention-declined', states });
    if (decision.approve) entity.deliverLater(attentionNote(entity.registration), states);
    return entity.view();
  }, { validator: (decision: AttentionDecision) => whenStarted(() => refuseIf(entity.attentionProblem(decision))) });

  setHandler(closeUpdate, async (request) => {
    await condition(() => entity.started);
    refuseIf(entity.closeProblem(request));
    entity.record({ at: entity.now(), actor: request.actor.trim(), reason: request.reason.trim(), action: 'closed' });
    return entity.view();
  }, { validator: (request: Accountable) => whenStarted(() => refuseIf(entity.closeProblem(request))) });
}
