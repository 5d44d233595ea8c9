import { isGrpcServiceError, ScheduleNotFoundError, ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
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

/** The case or campaign refused the request: it is closed, the date is past, no attention note is held... */
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

/** The type an error is reported under (`kind` in the command line's JSON, `type` in the dashboard's API): a refusal's stable type, else the error's name. */
export const errorKind = (err: unknown): string => (err instanceof Error ? ((err as { type?: string }).type ?? err.name) : 'Error');

/** What a request was about, as its errors name it. */
export interface Subject {
  /** Put before a refusal's own message, e.g. "case LA/COD/2026/017"; none when the message names it already. */
  prefix?: string;
  /** Said when it does not exist. */
  missing: string;
}

/**
 * Turn the SDK's failures for a request to a workflow into the contract's errors, by their types:
 * a workflow that does not exist (or no longer runs), and a refusal with its stable type.
 */
export function translateError(err: unknown, subject: Subject): unknown {
  if (err instanceof WorkflowNotFoundError || (err instanceof ServiceError && isNotFound(err.cause))) return new NotFoundError(subject.missing);
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    return new RefusedError(err.cause.type ?? 'Refused', subject.prefix ? `${subject.prefix}: ${err.cause.message}` : err.cause.message);
  }
  if (err instanceof ScheduleNotFoundError) return new NotFoundError(subject.missing);
  return err;
}

/** gRPC's NOT_FOUND status: the server knows no such workflow (or it has closed, for an update). */
const GRPC_NOT_FOUND = 5;
const isNotFound = (cause: unknown): boolean => isGrpcServiceError(cause) && Number(cause.code) === GRPC_NOT_FOUND;
