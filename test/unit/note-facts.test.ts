/** One contract per note kind: what the workflows must give, what the renderer requires and what the templates may use. */
import { CASE_NOTE_KINDS, KIND_PLACEHOLDERS, REQUIRED_PLACEHOLDERS } from '../../config/templates';
import { missingFacts, NOTE_KINDS, type NoteOrder } from '../../domain/notes';

describe('the facts of each note kind', () => {
  it('give the placeholders its templates may use and those it cannot be written without', () => {
    expect(REQUIRED_PLACEHOLDERS.reminder).toEqual(['hostOf', 'owed', 'dueOn', 'reminderNumber']);
    expect(KIND_PLACEHOLDERS.circulation).toEqual(['hostOf', 'reporterOf', 'reportKind', 'receivedOn', 'summary']);
    expect(REQUIRED_PLACEHOLDERS.circulation).not.toContain('summary');
    expect(KIND_PLACEHOLDERS.circular).toEqual(['session', 'deadline']);
    for (const kind of NOTE_KINDS) expect(KIND_PLACEHOLDERS[kind]).toEqual(expect.arrayContaining([...REQUIRED_PLACEHOLDERS[kind]]));
  });

  it('say which notes concern a case: those that name its host State', () => {
    expect([...CASE_NOTE_KINDS]).toEqual(['circulation', 'attention', 'reminder']);
  });

  it('name what is missing before any note is written', () => {
    expect(missingFacts('reminder', { reference: 'LA/COD/1', hostState: 'ARG', dueOn: ' ' })).toEqual(['owed', 'dueOn', 'reminderNumber']);
    expect(missingFacts('circular', { reference: '', session: 81, deadline: '2027-05-15' })).toEqual(['reference']);
    expect(missingFacts('views-reminder', { reference: 'LA/COD/CIRC/81', deadline: '2027-05-15', circularDate: '2027-01-15' })).toEqual([]);
  });

  it('are checked by the compiler where a workflow orders a note', () => {
    const complete: NoteOrder = { kind: 'reminder', facts: { reference: 'LA/COD/1', hostState: 'ARG', owed: 'host-report', dueOn: '2027-01-31', reminderNumber: 1 } };
    // @ts-expect-error a reminder without the date it chases does not compile
    const withoutDueOn: NoteOrder = { kind: 'reminder', facts: { reference: 'LA/COD/1', hostState: 'ARG', owed: 'host-report', reminderNumber: 1 } };
    // @ts-expect-error nor does a circular note that names a host State
    const withHost: NoteOrder = { kind: 'circular', facts: { reference: 'LA/COD/CIRC/81', session: 81, deadline: '2027-05-15', hostState: 'ARG' } };
    expect(missingFacts(complete.kind, complete.facts)).toEqual([]);
    expect(missingFacts(withoutDueOn.kind, withoutDueOn.facts)).toEqual(['dueOn']);
    expect(withHost.kind).toBe('circular');
  });
});
