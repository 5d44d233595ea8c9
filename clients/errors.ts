import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { type Problem } from '../domain/validation';

/**
 * The error contract of every user-facing operation: bad input, a refused request and an unknown
 * case are the user's to fix (exit code 2); anything else is the system's (exit code 1).
 */
export class InputError extends Error {
  override name = 'InputError';
  constructor(message: string, readonly problems: Problem[] = []) {
    super(message);
  }
}

/** The case refused the request: it is closed, the date is past, no attention note is held... */
export class RefusedError extends Error {
  override name = 'RefusedError';
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

export const isUserError = (err: unknown): boolean =>
  err instanceof InputError || err instanceof RefusedError || err instanceof NotFoundError;

/** Turn the SDK's failures for an update or query on a case into the contract's errors. */
export function translateCaseError(err: unknown, reference: string): unknown {
  if (err instanceof WorkflowNotFoundError) return new NotFoundError(`no case with reference ${reference}`);
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    return new RefusedError(err.cause.type ?? 'Refused', `case ${reference}: ${err.cause.message}`);
  }
  if (err instanceof Error && /workflow.*(not found|completed)|sql: no rows/i.test(err.message)) {
    return new NotFoundError(`no open case with reference ${reference} (${err.message})`);
  }
  return err;
}
