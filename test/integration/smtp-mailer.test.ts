/** The SMTP mailer against a real SMTP server: what the relay answers decides whether a note is retried. */
import { ApplicationFailure } from '@temporalio/common';
import { SmtpMailer } from '../../activities/mailer';
import { DELIVERY_REFUSED } from '../../domain/notes';
import { TestSmtpServer } from '../support/smtp';

let smtp: TestSmtpServer;
let mailer: SmtpMailer;

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  mailer = new SmtpMailer(smtp.url);
});

afterAll(async () => {
  mailer.close();
  await smtp.stop();
});

const mail = (to: string) => ({ messageId: `<m.${to}@test>`, from: 'Secretariat <s@un.example.org>', to, subject: 'Note', text: 'Texte de la note', language: 'fr' });

test('a delivered note arrives with its Message-ID, language and text', async () => {
  await mailer.send(mail('ok@missions.example.org'));
  expect(smtp.received.find((m) => m.to === 'ok@missions.example.org')).toMatchObject({ messageId: '<m.ok@missions.example.org@test>', language: 'fr', text: 'Texte de la note\n' });
});

test('a 5xx answer is a permanent, non-retryable refusal', async () => {
  smtp.rules.set('gone@missions.example.org', { refuse: true });
  const failure = await mailer.send(mail('gone@missions.example.org')).catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({ type: DELIVERY_REFUSED, nonRetryable: true, message: expect.stringMatching(/550/) as unknown });
});

test('a 4xx answer is transient: a plain error the retry policy retries', async () => {
  smtp.rules.set('busy@missions.example.org', { defer: 5 });
  const failure = await mailer.send(mail('busy@missions.example.org')).catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(Error);
  expect(failure).not.toBeInstanceOf(ApplicationFailure);
  expect((failure as { responseCode?: number }).responseCode).toBe(451);
});

test('a relay that is not there is transient too', async () => {
  const nowhere = new SmtpMailer('smtp://127.0.0.1:1');
  try {
    const failure = await nowhere.send(mail('x@missions.example.org')).catch((err: unknown) => err);
    // Node's socket errors come from outside jest's realm: check what they say, not their class.
    expect(failure).toMatchObject({ message: expect.stringMatching(/ECONNREFUSED/) as unknown });
    expect(failure).not.toBeInstanceOf(ApplicationFailure);
  } finally {
    nowhere.close();
  }
});
