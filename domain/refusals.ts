import { LIMITS, lengthProblem } from './limits';

/**
 * Stable refusal codes of the case and the campaign: they cross process boundaries as
 * ApplicationFailure types, and clients match on them, never on the message.
 */
export const REFUSAL_TYPES = [
  // Any request
  'InvalidRequest', 'NotStarted', 'StateTooLarge',
  // A case
  'CaseClosed', 'NoOpenDeadline', 'DateInPast', 'DateTooFar', 'NotAnExtension', 'NotAShortening', 'AlreadyPaused', 'NotPaused', 'AttentionNotPending',
  // A campaign
  'CampaignClosed', 'NotSent', 'OutsideCycle', 'DeliveryInProgress', 'NothingFailed',
] as const;
export type RefusalType = (typeof REFUSAL_TYPES)[number];

export interface Refusal {
  type: RefusalType;
  message: string;
}

export const refusal = (type: RefusalType, message: string): Refusal => ({ type, message });

export const isRefusalType = (value: unknown): value is RefusalType => (REFUSAL_TYPES as readonly unknown[]).includes(value);

/** Every officer's action names who acts and why. */
export interface Accountable {
  actor: string;
  reason: string;
}

/** Who acts, required of every request and bounded: the one check of the actor's name. */
export function actorProblem(actor: unknown): Refusal | undefined {
  if (typeof actor !== 'string' || actor.trim() === '') return refusal('InvalidRequest', 'actor is required: name who is acting');
  const tooLong = lengthProblem(actor.trim(), LIMITS.actor);
  return tooLong ? refusal('InvalidRequest', `actor ${tooLong}`) : undefined;
}

/** Who and why, required of every officer's action. */
export function accountabilityProblem(request: { actor?: unknown; reason?: unknown }): Refusal | undefined {
  const actor = actorProblem(request.actor);
  if (actor) return actor;
  if (typeof request.reason !== 'string' || request.reason.trim() === '') return refusal('InvalidRequest', 'reason is required and must not be empty');
  const tooLong = lengthProblem(request.reason.trim(), LIMITS.reason);
  return tooLong ? refusal('InvalidRequest', `reason ${tooLong}`) : undefined;
}
