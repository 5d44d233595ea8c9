/**
 * Bounds on every value a request can carry. Each is checked where the value is validated, so that
 * nothing a person types can grow a case past what one workflow payload (2 MB) or a search attribute
 * holds, and fail a workflow task instead of the request.
 */
export const LIMITS = {
  /** A summary of a report or of a State's views: a paraphrase, not the document (attachments live elsewhere). */
  summary: 8000,
  location: 500,
  /** A victim's name. */
  name: 300,
  /** Victims named in one case. */
  victims: 50,
  /** Who acts: a person's name or a service name. */
  actor: 200,
  /** Why a legal officer acted. */
  reason: 2000,
} as const;

/** How far ahead a due date may be set, unless the policy says otherwise (deadlines.horizon). */
export const DEFAULT_HORIZON = 'P10Y';

/** Dates before the United Nations existed are typing errors, not reports. */
export const EARLIEST_DATE = '1945-10-24';

/** A Datetime search attribute holds years up to 9999; a due date is published as one. */
export const LATEST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * What the state of a case or a campaign may weigh, as JSON, after a request: every update returns
 * a view of it and continue-as-new carries it, each as one payload, which the server refuses past 2 MB.
 */
export const STATE_BUDGET_BYTES = 1_500_000;

/** A failed note's reason as a case keeps it (its batch's own result keeps it whole). */
export const NOTE_ERROR_CHARS = 500;

/** Why a text is too long, or undefined. Lengths count characters as a person sees them. */
export function lengthProblem(value: string, max: number): string | undefined {
  const length = [...value].length;
  return length > max ? `is ${length} characters long; at most ${max} are allowed` : undefined;
}

/** Why a state that would weigh `bytes` cannot take one more request, or undefined. */
export function budgetProblem(bytes: number, what: string): string | undefined {
  return bytes > STATE_BUDGET_BYTES
    ? `${what} would hold ${(bytes / 1e6).toFixed(2)} MB, past the ${(STATE_BUDGET_BYTES / 1e6).toFixed(1)} MB one workflow payload may safely carry`
    : undefined;
}

/** The size of a JSON value in UTF-8 bytes, as a payload weighs it. */
export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value) ?? '';
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Surrogate pairs are four bytes together: two counted here for each half.
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code < 0xe000 ? 2 : 3;
  }
  return bytes;
}
