import { NOTES_PER_ACTIVITY, SHARES_PER_BATCH } from '../activity-options';

/**
 * Notes per share of a batch of this many recipients: at most SHARES_PER_BATCH shares, none smaller
 * than NOTES_PER_ACTIVITY. Each share that completes wakes the batch for a workflow task, which
 * competes with the notes still going for the same cores: 195 States in ten shares of twenty took
 * some 340 ms, in five shares of 39 some 280 ms (`npm run bench`, part 2). Five shares still
 * spread over two workers, and a share resumes from its heartbeat whatever its size.
 */
export const notesPerShare = (recipients: number): number => Math.max(NOTES_PER_ACTIVITY, Math.ceil(recipients / SHARES_PER_BATCH));

/** The items in order, cut into shares of `size`. */
export function splitIntoShares<T>(items: readonly T[], size: number): T[][] {
  const shares: T[][] = [];
  for (let i = 0; i < items.length; i += size) shares.push(items.slice(i, i + size));
  return shares;
}
