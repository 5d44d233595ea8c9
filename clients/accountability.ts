import { accountabilityProblem, actorProblem } from '../domain/refusals';
import { InputError } from './errors';

/** Who acts, checked before anything is dialled: the domain's one check, in the command line's words. */
export function checkedActor(actor: string): string {
  const problem = actorProblem(actor);
  if (!problem) return actor.trim();
  throw new InputError(actor.trim() ? `--actor: ${problem.message}` : '--actor (or OBLIGATIONS_ACTOR) is required: name who is acting');
}

/** Who acts and why, both required and bounded. */
export function checkedAccountable<T extends { actor: string; reason: string }>(request: T): T {
  const actor = checkedActor(request.actor);
  const problem = accountabilityProblem(request);
  if (problem) throw new InputError(problem.message);
  return { ...request, actor, reason: request.reason.trim() };
}
