import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { casePolicy, loadConfig } from '../config/load';
import { holidayYears } from '../config/holidays';
import { caseWorkflowId, policyInForceId, referenceOfWorkflowId } from '../domain/ids';
import { DEFAULT_HORIZON } from '../domain/limits';
import { type CasePolicy } from '../domain/policy';
import { planPolicyChange, type PolicyChange, type PolicyDifferences, policyDifferences, samePolicy, targetFor } from '../domain/policy-change';
import { type DeadlineMove } from '../domain/timeline';
import { policyUpdate } from '../workflows/case/messages';
import { type CaseView } from '../workflows/case/view';
import { policyInForce } from '../workflows/policy/in-force';
import { checkedAccountable } from './accountability';
import { caseListQuery, digestOf, showCase } from './cases';
import { mapLimited } from './concurrency';
import { type Engine, requestRunning, requireWorker } from './engine';
import { errorKind, InputError, isUserError, RefusedError } from './errors';

/** What a policy change does to one open case: what differs between its policy and the new one, and which dates move. */
export interface CasePolicyEffect {
  reference: string;
  status: string;
  /** The case already runs under the new policy: nothing is recorded on it. */
  unchanged: boolean;
  differences: PolicyDifferences;
  changes: DeadlineMove[];
}

/** After `apply`: each case's effect, and whether it took the change. */
export interface CasePolicyOutcome extends Omit<CasePolicyEffect, 'status'> {
  /** The case's status after the change (absent when it refused). */
  status?: string;
  outcome: 'applied' | 'unchanged' | 'refused';
  error?: { kind: string; message: string };
}

export interface PolicyTarget {
  /** Only these cases (every open case when absent). */
  references?: string[];
  includeManual?: boolean;
}

/** Cases read or changed at once: enough to hide the round trips, few enough to leave the worker to its work. */
const CONCURRENCY = 8;
/** A request names at most this many cases; past it, change them all. */
export const MOST_NAMED_CASES = 1000;

/**
 * The policy to move open cases onto: by default the one the running worker gives new cases (asked
 * of the worker, whatever this terminal's configuration), or that of FILE, read as
 * OBLIGATIONS_CONFIG would be (over the defaults and under the environment).
 */
export async function targetPolicy(engine: Engine, file?: string): Promise<CasePolicy> {
  if (file !== undefined) return policyOfFile(file);
  await requireWorker(engine);
  return engine.client.workflow.execute(policyInForce, {
    workflowId: policyInForceId(engine.taskQueue, randomUUID()),
    taskQueue: engine.taskQueue,
    args: [{ purpose: 'the policy of open cases' }],
    workflowExecutionTimeout: '1 minute',
  });
}

/** The policy a configuration file gives new cases; a missing or bad file is the user's to fix. */
export function policyOfFile(file: string): CasePolicy {
  if (!existsSync(file)) throw new InputError(`--config: ${resolve(file)} does not exist`);
  return casePolicy(loadConfig({ ...process.env, OBLIGATIONS_CONFIG: file }));
}

/** Where a calendar made now starts: its holidays before that date are not listed, and a case keeps its own. */
function calendarFrom(policy: CasePolicy, now: Date): string {
  return `${holidayYears(now, policy.deadlines.horizon ?? DEFAULT_HORIZON).from}-01-01`;
}

/** What moving every open case (or the named ones) onto `policy` would change, changing nothing. */
export async function previewPolicy(engine: Engine, policy: CasePolicy, target: PolicyTarget = {}): Promise<{ cases: CasePolicyEffect[] }> {
  const references = await targetReferences(engine, target.references);
  const now = new Date();
  const cases = await mapLimited(references, CONCURRENCY, async (reference) => effectOn(await showCase(engine, reference), policy, target.includeManual ?? false, now));
  return { cases };
}

/**
 * Move every open case (or the named ones) onto `policy`: each records who, why, both policies and the
 * dates moved, and its clock runs on under the new one. A case that refuses (closed meanwhile, a
 * reference with no case) is reported, and the others go on.
 */
export async function applyPolicy(engine: Engine, policy: CasePolicy, request: PolicyTarget & { actor: string; reason: string }): Promise<{ cases: CasePolicyOutcome[] }> {
  const { actor, reason } = checkedAccountable({ actor: request.actor, reason: request.reason });
  const references = await targetReferences(engine, request.references);
  const from = calendarFrom(policy, new Date());
  const subject = (reference: string) => ({ prefix: `case ${reference}`, missing: `no case with reference ${reference}` });
  const cases = await mapLimited(references, CONCURRENCY, async (reference): Promise<CasePolicyOutcome> => {
    const unchanged: CasePolicyOutcome = { reference, unchanged: true, differences: { settings: [], holidaysAdded: [], holidaysRemoved: [] }, changes: [], outcome: 'unchanged' };
    try {
      const current = await showCase(engine, reference);
      if (current.status === 'closed') throw new RefusedError('CaseClosed', `case ${reference} is closed: it takes no more requests`);
      const own = targetFor(current.policy, policy, from);
      if (samePolicy(current.policy, own)) return { ...unchanged, status: current.status };
      const change: PolicyChange = { actor, reason, policy: own, includeManual: request.includeManual ?? false };
      // The same change of the same policy, asked twice (a command run again after a lost answer), is one update.
      const updateId = `policy-${digestOf({ change, from: current.policy })}`;
      const view = await requestRunning(engine, caseWorkflowId(reference), subject(reference),
        (status) => new RefusedError('CaseClosed', `case ${reference} has ended (${status.toLowerCase()}): it takes no more requests`),
        (handle) => handle.executeUpdate(policyUpdate, { args: [change], updateId }));
      const entry = [...view.timeline].reverse().find((event) => event.action === 'policy-changed');
      if (entry?.action !== 'policy-changed' || !samePolicy(entry.policy, own)) throw new Error(`case ${reference} answered without recording this policy change`);
      return { reference, status: view.status, unchanged: false, differences: policyDifferences(entry.previous, entry.policy), changes: entry.moves, outcome: 'applied' };
    } catch (err) {
      if (err instanceof RefusedError && err.type === 'PolicyUnchanged') return unchanged;
      if (!isUserError(err)) throw err;
      return { ...unchanged, unchanged: false, outcome: 'refused', error: { kind: errorKind(err), message: (err as Error).message } };
    }
  });
  return { cases };
}

function effectOn(view: CaseView, policy: CasePolicy, includeManual: boolean, now: Date): CasePolicyEffect {
  const own = targetFor(view.policy, policy, calendarFrom(policy, now));
  const base = { reference: view.reference, status: view.status, differences: policyDifferences(view.policy, own) };
  if (view.status === 'closed' || samePolicy(view.policy, own)) return { ...base, unchanged: true, changes: [] };
  // The same entry the case would record: the preview is the change, short of recording it.
  const entry = planPolicyChange(view.timeline, view.policy, { actor: 'preview', reason: 'preview', policy: own, includeManual }, now);
  return { ...base, unchanged: false, changes: entry.moves };
}

async function targetReferences(engine: Engine, named?: string[]): Promise<string[]> {
  if (named && named.length > 0) {
    if (named.length > MOST_NAMED_CASES) throw new InputError(`--case names ${named.length} cases; at most ${MOST_NAMED_CASES} may be named (leave --case out to change every open case)`);
    return [...new Set(named.map((reference) => reference.trim()))];
  }
  const query = `${caseListQuery({ taskQueue: engine.taskQueue })} AND ExecutionStatus = 'Running'`;
  const references: string[] = [];
  for await (const info of engine.client.workflow.list({ query, pageSize: 1000 })) references.push(referenceOfWorkflowId(info.workflowId));
  return references.sort((a, b) => a.localeCompare(b));
}
