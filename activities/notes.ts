import { ApplicationFailure } from '@temporalio/common';
import { type Directory } from '../config/directory';
import { type Templates } from '../config/templates';
import { type DeliveryResult, type NoteRequest, type Recipient } from '../domain/notes';
import { type StateEntry } from '../domain/states';
import { type Mailer } from './mailer';
import { renderNote } from './render-note';
import { type NoteActivities } from './types';

export interface NoteDependencies {
  directory: Directory;
  templates: Templates;
  mailer: Mailer;
  /** The From address of every note. */
  from: string;
  /** Headquarters' zone, for dates written in notes. */
  zone: string;
}

export function createNoteActivities(deps: NoteDependencies): NoteActivities {
  const state = (code: string): StateEntry => {
    const entry = deps.directory.get(code);
    if (!entry) throw ApplicationFailure.create({ type: 'UnknownState', message: `${code} is not in the State directory`, nonRetryable: true });
    return entry;
  };

  return {
    recipients({ states }): Promise<Recipient[]> {
      const codes = states ?? deps.directory.codes();
      return Promise.resolve(codes.map((code) => ({ code, language: state(code).language })));
    },

    async sendNote(request: NoteRequest): Promise<DeliveryResult> {
      const { facts, to } = request;
      const language = to.language;
      const recipient = state(to.code);
      const nameOf = (code: string | undefined) => (code === undefined ? undefined : state(code).namesOf[language]);
      const note = renderNote(deps.templates, {
        kind: request.kind,
        language,
        vars: {
          // The case reference is the note's reference symbol.
          symbol: facts.reference,
          reference: facts.reference,
          recipientOf: recipient.namesOf[language],
          // Observer States are addressed through their Permanent Observer, Member States through their Permanent Representative.
          recipientStatus: recipient.status,
          hostOf: state(facts.hostState).namesOf[language],
          date: request.date,
          zone: deps.zone,
          reporterOf: nameOf(facts.reportedBy),
          reportKind: facts.reportKind,
          receivedOn: facts.receivedOn,
          summary: facts.summary,
          occurredOn: facts.occurredOn,
          owed: facts.owed,
          dueOn: facts.dueOn,
          reminderNumber: facts.reminderNumber,
        },
      });
      await deps.mailer.send({ messageId: request.messageId, from: deps.from, to: recipient.email, subject: note.subject, text: note.text, language });
      return { to: to.code, messageId: request.messageId, status: 'sent' };
    },
  };
}
