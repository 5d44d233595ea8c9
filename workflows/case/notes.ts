import { type CaseRegistration, type CaseReport } from '../../domain/case';
import { type NoteFactsOf, type NoteOrder } from '../../domain/notes';

/** The 12 (b) note that circulates a report on a case: the registration's (11 (a)) or a later one. */
export function circulationNote(registration: CaseRegistration, report: Pick<CaseReport, 'from' | 'kind' | 'receivedOn' | 'summary'>): NoteOrder {
  const facts: NoteFactsOf<'circulation'> = {
    reference: registration.reference, hostState: registration.occurredIn, reportedBy: report.from, reportKind: report.kind, receivedOn: report.receivedOn,
    ...(report.summary ? { summary: report.summary } : {}),
  };
  return { kind: 'circulation', facts };
}

/** The 12 (c) note that draws the attention of the States directly concerned to the reporting procedures. */
export function attentionNote(registration: CaseRegistration): NoteOrder {
  const facts: NoteFactsOf<'attention'> = { reference: registration.reference, hostState: registration.occurredIn, reportedBy: registration.reportedBy, occurredOn: registration.occurredOn };
  return { kind: 'attention', facts };
}
