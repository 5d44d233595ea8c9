import { condition, patched, setHandler } from '@temporalio/workflow';
import { statesDirectlyConcerned } from '../../domain/case';
import { type DeadlineChange } from '../../domain/deadline-changes';
import { type PolicyChange } from '../../domain/policy-change';
import { refusal, requestProblem, type Scope } from '../../domain/refusals';
import { refused, refuseIf } from '../refusals';
import { type CaseEntity } from './entity';
import { attentionNote, circulationNote } from './notes';
import {
  type Accountable, type AttentionDecision, attentionUpdate, closeUpdate, deadlineUpdate, NOT_STARTED, policyUpdate, type ReportRequest, reportUpdate, viewQuery,
} from './messages';

/** Requests that arrive while a case starts are judged by their handler with the bounds of domain/limits. */
export const BOUNDED_REQUESTS_PATCH = 'bounded-requests';

/**
 * The case's messages, set before the workflow's first wait: a request that arrives while the case
 * starts waits for it, it is not turned away. Each validator judges the whole request before anything
 * touches history. Each handler then judges again what the case's state decides (another request may
 * have changed it meanwhile); a request that arrived while the case was starting had no validator, so
 * its handler judges all of it.
 */
export function setCaseHandlers(entity: CaseEntity): void {
  // Validators judge a request once the case has started; until then its handler waits and judges it.
  const whenStarted = (check: () => void) => {
    if (entity.started) check();
  };
  /** Called before the handler's first wait: whether its validator ran, and so what the handler itself must judge. */
  const arrived = (request: unknown): (() => Scope) => {
    const judged = entity.started;
    refuseIf(requestProblem(request));
    // Cases written before the bounds judged such requests without them; they replay as they ran.
    return () => (judged || !patched(BOUNDED_REQUESTS_PATCH) ? 'state' : 'request');
  };
  setHandler(viewQuery, () => {
    if (!entity.started) throw refused(refusal('NotStarted', `case ${entity.reference} ${NOT_STARTED}`));
    return entity.view();
  });
  setHandler(reportUpdate, async (request) => {
    const scopeOf = arrived(request);
    await condition(() => entity.started);
    const scope = scopeOf();
    refuseIf(entity.reportProblem(request, scope));
    const report = entity.recordedReport(request, scope);
    entity.record({ at: entity.now(), actor: request.actor.trim(), action: 'report-received', report });
    if (report.circulate) entity.deliverLater(circulationNote(entity.registration, report));
    return entity.view();
  }, { validator: (request: ReportRequest) => whenStarted(() => refuseIf(entity.reportProblem(request))) });

  setHandler(deadlineUpdate, async (change) => {
    const scopeOf = arrived(change);
    await condition(() => entity.started);
    entity.record(entity.plannedChange(change, scopeOf()));
    return entity.view();
  }, { validator: (change: DeadlineChange) => whenStarted(() => entity.plannedChange(change)) });

  setHandler(policyUpdate, async (change) => {
    const scopeOf = arrived(change);
    await condition(() => entity.started);
    entity.changePolicy(entity.plannedPolicyChange(change, scopeOf()));
    return entity.view();
  }, { validator: (change: PolicyChange) => whenStarted(() => entity.plannedPolicyChange(change)) });

  setHandler(attentionUpdate, async (decision) => {
    const scopeOf = arrived(decision);
    await condition(() => entity.started);
    refuseIf(entity.attentionProblem(decision, scopeOf()));
    const states = statesDirectlyConcerned(entity.registration);
    entity.record({ at: entity.now(), actor: decision.actor.trim(), reason: decision.reason.trim(), action: decision.approve ? 'attention-approved' : 'attention-declined', states });
    if (decision.approve) entity.deliverLater(attentionNote(entity.registration), states);
    return entity.view();
  }, { validator: (decision: AttentionDecision) => whenStarted(() => refuseIf(entity.attentionProblem(decision))) });

  setHandler(closeUpdate, async (request) => {
    const scopeOf = arrived(request);
    await condition(() => entity.started);
    refuseIf(entity.closeProblem(request, scopeOf()));
    entity.record({ at: entity.now(), actor: request.actor.trim(), reason: request.reason.trim(), action: 'closed' });
    return entity.view();
  }, { validator: (request: Accountable) => whenStarted(() => refuseIf(entity.closeProblem(request))) });
}
