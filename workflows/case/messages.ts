import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { type CaseReport } from '../../domain/case';
import { type DeadlineChange } from '../../domain/deadline-changes';
import { type PolicyChange } from '../../domain/policy-change';
import { type Accountable } from '../../domain/refusals';
import { type CaseView } from './view';

export type { Accountable } from '../../domain/refusals';

export type ReportRequest = CaseReport & { actor: string };
export type AttentionDecision = Accountable & { approve: boolean };

/** A report received on the case (11 (a) or 11 (b)); circulated under 12 (b) unless asked otherwise. */
export const reportUpdate = defineUpdate<CaseView, [ReportRequest]>('report');
/** Extend, shorten, pause or resume the open deadline. */
export const deadlineUpdate = defineUpdate<CaseView, [DeadlineChange]>('changeDeadline');
/** A legal officer's decision on a held 12 (c) attention note. */
export const attentionUpdate = defineUpdate<CaseView, [AttentionDecision]>('decideAttention');
export const closeUpdate = defineUpdate<CaseView, [Accountable]>('close');
/** Move the case onto another policy: its open deadline is computed again under it. */
export const policyUpdate = defineUpdate<CaseView, [PolicyChange]>('changePolicy');

export const viewQuery = defineQuery<CaseView>('view');

/**
 * How the view query refuses while the case is still reading its policy. A failed query reaches the
 * client as a QueryNotRegisteredError that keeps the message and drops the failure's type, so the
 * client recognises this wording (and only this one).
 */
export const NOT_STARTED = 'is starting: ask again in a moment';
