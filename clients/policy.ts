import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type AppConfig, casePolicy, loadConfig } from '../config/load';
import { caseWorkflowId, referenceOfWorkflowId } from '../domain/ids';
import { type CasePolicy } from '../domain/policy';
import { planPolicyChange, type PolicyChange, type PolicyDifferences, policyDifferences, samePolicy } from '../domain/policy-change';
import { type DeadlineMove } from '../domain/timeline';
import { policyUpdate } from '../workflows/case/messages';
import { type CaseView } from '../workflows/case/view';
import { checkedAccountable } from './accountability';
import { caseListQuery, digestOf, showCase } from './cases';
import { type Engine, requestRunning } from './engine';
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
 * The policy a configuration gives new cases: the running configuration's, or that of FILE (read as
 * OBLIGATIONS_CONFIG would be, over the defaults and under the environment).
 */
export function configuredPolicy(config: AppConfig, file?: string): CasePolicy {
  if (file === undefined) return casePolicy(config);
  if (!existsSync(file)) throw new InputError(`--config: ${resolve(file)} does not exist`);
  return casePolicy(loadConfig({ ...process.env, OBLIGATIONS_CONFIG: file }));
}

/** What moving every open case (or the named ones) onto `policy` would change, changing nothing. */
export async function previewPolicy(engine: Engine, policy: CasePolicy, target: PolicyTarget = {}): Promise<{ cases: CasePolicyEffect[] }> {
  const references = await targetReferences(engine, target.references);
  const now = new Date();
  const cases = await mapLimited(references, async (reference) => effectOn(await showCase(engine, reference), policy, target.includeManual ?? false, now));
  return { cases };
}

/**
 * Move every open case (or the named ones) onto `policy`: each records who, why, both policies and the
 * dates moved, and its clock runs on under the new one. A case that refuses (closed meanwhile, already
 * under the policy) is reported, and the others go on.
 */
export async function applyPolicy(engine: Engine, policy: CasePolicy, request: PolicyTarget & { actor: string; reason: string }): Promise<{ cases: CasePolicyOutcome[] }> {
  const { actor, reason } = checkedAccountable({ actor: request.actor, reason: request.reason });
  const references = await targetReferences(engine, request.references);
  const change: PolicyChange = { actor, reason, policy, includeManual: request.includeManual ?? false };
  // The same change asked twice (a command run again after a lost answer) is one update.
  const updateId = `policy-${digestOf(change)}`;
  const cases = await mapLimited(references, async (reference): Promise<CasePolicyOutcome> => {
    try {
      const view = await requestRunning(engine, caseWorkflowId(reference), { prefix: `case ${reference}`, missing: `no case with reference ${reference}` },
        (status) => new RefusedError('CaseClosed', `case ${reference} has ended (${status.toLowerCase()}): it takes no more requests`),
        (handle) => handle.executeUpdate(policyUpdate, { args: [change], updateId }));
      const entry = [...view.timeline].reverse().find((event) => event.action === 'policy-changed');
      if (entry?.action !== 'policy-changed') throw new Error(`case ${reference} answered without recording the policy change`);
      return { reference, status: view.status, unchanged: false, differences: policyDifferences(entry.previous, entry.policy), changes: entry.moves, outcome: 'applied' };
    } catch (err) {
      if (!isUserError(err)) throw err;
      const unchanged = err instanceof RefusedError && err.type === 'PolicyUnchanged';
      const empty = { settings: [], holidaysAdded: [], holidaysRemoved: [] };
      return { reference, unchanged, differences: empty, changes: [], outcome: unchanged ? 'unchanged' : 'refused', ...(unchanged ? {} : { error: { kind: errorKind(err), message: (err as Error).message } }) };
    }
  });
  return { cases };
}

function effectOn(view: CaseView, policy: CasePolicy, includeManual: boolean, now: Date): CasePolicyEffect {
  const base = { reference: view.reference, status: view.status, differences: policyDifferences(view.policy, policy) };
  if (view.status === 'closed' || samePolicy(view.policy, policy)) return { ...base, unchanged: true, changes: [] };
  // The same entry the case would record: the preview is the change, short of recording it.
  const entry = planPolicyChange(view.timeline, view.policy, { actor: 'preview', reason: 'preview', policy, includeManual }, now);
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

/** `work` on each item, at most CONCURRENCY at a time, the results in the items' order. */
async function mapLimited<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, lane));
  return results;
}
