import { LIMITS, lengthProblem } from './limits';

/**
 * Stable refusal codes of the case and the campaign: they cross process boundaries as
 * ApplicationFailure types, and clients match on them, never on the message.
 */
export const REFUSAL_TYPES = [
  // Any request
  'InvalidRequest', 'NotStarted', 'StateTooLarge',
  // A case
  'CaseClosed', 'NoOpenDeadline', 'DateInPast', 'DateTooFar', 'NotAnExtension', 'NotAShortening', 'AlreadyPaused', 'NotPaused', 'AttentionNotPending', 'PolicyUnchanged',
  // A campaign
  'CampaignClosed', 'NotSent', 'OutsideCycle', 'DeliveryInProgress', 'NothingFailed',
] as const;
export type RefusalType = (typeof REFUSAL_TYPES)[number];

/** Refusals of what the request itself says (bad input); every other refusal is the state of the case or campaign. */
export const INPUT_REFUSALS: readonly RefusalType[] = ['InvalidRequest', 'StateTooLarge', 'DateInPast', 'DateTooFar', 'NotAnExtension', 'NotAShortening'];

export interface Refusal {
  type: RefusalType;
  message: string;
}

export const refusal = (type: RefusalType, message: string): Refusal => ({ type, message });

/** Every officer's action names who acts and why. */
export interface Accountable {
  actor: string;
  reason: string;
}

/**
 * How much of a request a check judges: all it carries, bounds included (`bounded`, the default), or
 * only that its values are there, as a case judged requests before its values were bounded.
 */
export interface Bounds {
  bounded?: boolean;
}

/** Who acts, required of every request and bounded: the one check of the actor's name. */
export function actorProblem(actor: unknown, { bounded = true }: Bounds = {}): Refusal | undefined {
  if (typeof actor !== 'string' || actor.trim() === '') return refusal('InvalidRequest', 'actor is required: name who is acting');
  const tooLong = bounded ? lengthProblem(actor.trim(), LIMITS.actor) : undefined;
  return tooLong ? refusal('InvalidRequest', `actor ${tooLong}`) : undefined;
}

/** Who and why, required of every officer's action. */
export function accountabilityProblem(request: { actor?: unknown; reason?: unknown }, bounds: Bounds = {}): Refusal | undefined {
  const actor = actorProblem(request.actor, bounds);
  if (actor) return actor;
  if (typeof request.reason !== 'string' || request.reason.trim() === '') return refusal('InvalidRequest', 'reason is required and must not be empty');
  const tooLong = bounds.bounded === false ? undefined : lengthProblem(request.reason.trim(), LIMITS.reason);
  return tooLong ? refusal('InvalidRequest', `reason ${tooLong}`) : undefined;
}

/** A request that is not an object of fields (only a caller that bypasses the clients can send one). */
export function requestProblem(request: unknown): Refusal | undefined {
  return typeof request === 'object' && request !== null && !Array.isArray(request) ? undefined : refusal('InvalidRequest', 'the request must be an object of fields');
}

/**
 * What a check judges: all a request carries (`request`: an update's validator, or its handler when it
 * arrived before the validator could judge it), or only what the case's state decides (`state`: a handler whose
 * validator judged the rest, and which must decide as it did when the history was written).
 */
export type Scope = 'request' | 'state';
