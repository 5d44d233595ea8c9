import { NOTE_ERROR_CHARS } from '../../domain/limits';
import { messageIdFor } from '../../domain/notes';
import { type CaseEvent } from '../../domain/timeline';
import { notesPerShare, splitIntoShares } from '../../workflows/broadcast/shares';
import { type NoteBatchSummary, type NoteRecord, settledBatch, summarisedRecords } from '../../workflows/case/note-batches';

const batch = 'LA/COD/2026/017.circulation.3';
const started: NoteBatchSummary = { batch, kind: 'circulation', recipients: 4, sent: 0, pending: 4, failed: 0, failures: [] };
const result = (to: 'ARG' | 'CHL' | 'PER' | 'URY', status: 'sent' | 'failed', error?: string) => ({ to, messageId: messageIdFor(batch, to), status, ...(error ? { error } : {}) });

describe('a settled batch', () => {
  it('counts what was sent and groups the failed States by the reason', () => {
    const settled = settledBatch(started, ['ARG', 'CHL', 'PER', 'URY'], {
      results: [result('ARG', 'sent'), result('PER', 'failed', '550 no such mailbox'), result('CHL', 'failed', '550 no such mailbox'), result('URY', 'failed', 'delivery not confirmed')],
    });
    expect(settled).toEqual({
      ...started, recipients: 4, sent: 1, pending: 0, failed: 3,
      failures: [{ error: '550 no such mailbox', to: ['CHL', 'PER'] }, { error: 'delivery not confirmed', to: ['URY'] }],
    });
  });

  it('fails a known recipient that has no result, with the batch\'s reason, and keeps that reason', () => {
    const settled = settledBatch(started, ['ARG', 'URY'], { results: [result('ARG', 'sent')], error: 'the child timed out' });
    expect(settled).toMatchObject({ sent: 1, failed: 1, pending: 0, failures: [{ error: 'the child timed out', to: ['URY'] }], error: 'the child timed out' });
    expect(settledBatch(started, ['URY'], { results: [] }).failures).toEqual([{ error: 'no result for this note', to: ['URY'] }]);
  });

  it('keeps a long reason shortened: the batch\'s own result keeps it whole', () => {
    const settled = settledBatch(started, ['ARG'], { results: [result('ARG', 'failed', `550 ${'x'.repeat(5000)}`)] });
    expect([...(settled.failures[0]?.error ?? '')]).toHaveLength(NOTE_ERROR_CHARS);
    expect(settled.failures[0]?.error.endsWith('…')).toBe(true);
  });
});

describe('the records of an older case', () => {
  const record = (b: string, to: 'ARG' | 'URY', status: NoteRecord['status'], error?: string): NoteRecord => ({ kind: 'attention', to, language: 'es', messageId: messageIdFor(b, to), status, batch: b, ...(error ? { error } : {}) });
  const at = '2026-11-02T15:00:00.000Z';

  it('are summarised per batch in the order the batches started, those without records from their event', () => {
    const events: CaseEvent[] = [
      { at, actor: 'system', action: 'notes-delivered', kind: 'circulation', batch: 'REF.circulation.1', sent: 0, failed: 0, reason: 'the State directory is being rebuilt' },
      { at, actor: 'system', action: 'notes-delivered', kind: 'attention', batch: 'REF.attention.10', sent: 1, failed: 1 },
    ];
    const records = [record('REF.attention.10', 'ARG', 'sent'), record('REF.attention.10', 'URY', 'failed', '550 no such mailbox'), record('REF.attention.2', 'ARG', 'pending')];
    expect(summarisedRecords(records, events)).toEqual([
      { batch: 'REF.circulation.1', kind: 'circulation', recipients: 0, sent: 0, pending: 0, failed: 0, failures: [], error: 'the State directory is being rebuilt' },
      { batch: 'REF.attention.2', kind: 'attention', recipients: 1, sent: 0, pending: 1, failed: 0, failures: [] },
      { batch: 'REF.attention.10', kind: 'attention', recipients: 2, sent: 1, pending: 0, failed: 1, failures: [{ error: '550 no such mailbox', to: ['URY'] }] },
    ]);
  });
});

describe('the shares of a batch', () => {
  const states = (count: number) => Array.from({ length: count }, (_, i) => `S${i}`);

  it('cuts every State into at most five shares, in order, none under twenty notes', () => {
    const all = states(195);
    const shares = splitIntoShares(all, notesPerShare(all.length));
    expect(shares.map((share) => share.length)).toEqual([39, 39, 39, 39, 39]);
    expect(shares.flat()).toEqual(all);
    expect(splitIntoShares(states(60), notesPerShare(60)).map((share) => share.length)).toEqual([20, 20, 20]);
    expect(splitIntoShares(states(101), notesPerShare(101)).map((share) => share.length)).toEqual([21, 21, 21, 21, 17]);
  });

  it('keeps a small batch in one share, and an empty one in none', () => {
    expect(splitIntoShares(states(3), notesPerShare(3))).toEqual([['S0', 'S1', 'S2']]);
    expect(splitIntoShares([], notesPerShare(0))).toEqual([]);
  });
});
