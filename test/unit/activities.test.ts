/** The note activities in the mock activity environment: no server, a recording mailer. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { simpleParser } from 'mailparser';
import { type Mailer, OutboxMailer } from '../../activities/mailer';
import { createNoteActivities } from '../../activities/notes';
import { DELIVERY_REFUSED, type DeliveryResult, messageIdFor, type NoteRequest, type Recipient } from '../../domain/notes';
import { productData } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';

const { directory, templates } = productData();
const FROM = 'Codification Division <codification@un.example.org>';

function activitiesWith<M extends Mailer>(mailer: M) {
  return { mailer, activities: createNoteActivities({ directory, templates, mailer, from: FROM, zone: 'America/New_York' }) };
}

const reminderTo = (code: string): NoteRequest => ({
  messageId: messageIdFor('LA/2026/1.reminder.3', code),
  kind: 'reminder',
  to: { code, language: directory.require(code).language },
  date: '2027-01-27',
  facts: { reference: 'LA/2026/1', hostState: code, owed: 'host-report', dueOn: '2027-01-26', reminderNumber: 2 },
});

test('sendNote renders the note in the recipient language and sends it to its Permanent Mission', async () => {
  const { mailer, activities } = activitiesWith(new RecordingMailer());
  const result = await new MockActivityEnvironment().run<[NoteRequest], DeliveryResult, typeof activities.sendNote>(activities.sendNote, reminderTo('FRA'));
  expect(result).toEqual({ to: 'FRA', messageId: '<LA/2026/1.reminder.3.FRA@obligations.un.int>', status: 'sent' });
  const [mail] = mailer.sent;
  expect(mail).toMatchObject({ to: directory.require('FRA').email, from: FROM, language: 'fr', messageId: result.messageId });
  expect(mail?.text).toContain('Le Secrétaire général');
  expect(mail?.text).toContain(directory.require('FRA').namesOf.fr);
  expect(mail?.text).toContain('26 janvier 2027');
  expect(mail?.text).toContain('LA/2026/1');
});

test('a note to a State that prefers Russian is written in Russian', async () => {
  const { mailer, activities } = activitiesWith(new RecordingMailer());
  await new MockActivityEnvironment().run(activities.sendNote, reminderTo('KAZ'));
  expect(mailer.sent[0]?.language).toBe('ru');
  expect(mailer.sent[0]?.text).toMatch(/Генеральный секретарь/);
});

test('observer States are addressed through their Permanent Observer, Member States through their Permanent Representative', async () => {
  const { mailer, activities } = activitiesWith(new RecordingMailer());
  const env = new MockActivityEnvironment();
  for (const code of ['VAT', 'PSE', 'FRA']) await env.run(activities.sendNote, reminderTo(code));
  const [vat, pse, fra] = mailer.sent;
  expect(vat?.language).toBe('en');
  expect(vat?.text).toContain('presents his compliments to the Permanent Observer of the Holy See to the United Nations');
  expect(vat?.text).toContain('renew to the Permanent Observer of the Holy See the assurances');
  expect(vat?.text).not.toContain('Permanent Representative');
  expect(pse?.language).toBe('ar');
  expect(pse?.text).toContain('تحياته إلى المراقب الدائم لدولة فلسطين لدى الأمم المتحدة');
  expect(pse?.text).toContain('ليعرب مجددا للمراقب الدائم لدولة فلسطين');
  expect(pse?.text).not.toMatch(/ممثل الدائم/);
  expect(fra?.text).toContain("présente ses compliments au Représentant permanent de la France auprès de l'Organisation des Nations Unies");
  expect(fra?.text).not.toContain('Observateur');
});

test("a relay's permanent refusal reaches the workflow as a non-retryable DeliveryRefused", async () => {
  const mailer = new RecordingMailer();
  mailer.refuse.add(directory.require('USA').email);
  const { activities } = activitiesWith(mailer);
  const failure = await new MockActivityEnvironment().run(activities.sendNote, reminderTo('USA')).catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({ type: DELIVERY_REFUSED, nonRetryable: true });
});

test('recipients resolves each State to its language, or every State in the directory', async () => {
  const { activities } = activitiesWith(new RecordingMailer());
  const env = new MockActivityEnvironment();
  await expect(env.run(activities.recipients, { states: ['CHN', 'EGY'] })).resolves.toEqual([{ code: 'CHN', language: 'zh' }, { code: 'EGY', language: 'ar' }]);
  const all = await env.run<[{ states?: string[] }], Recipient[], typeof activities.recipients>(activities.recipients, {});
  expect(all).toHaveLength(195);
  expect(all.map((r) => r.code)).toEqual(directory.codes());
  const unknown = await env.run(activities.recipients, { states: ['XYZ'] }).catch((err: unknown) => err);
  expect(unknown).toMatchObject({ type: 'UnknownState', nonRetryable: true });
});

test('the outbox writes one .eml per note, named by its Message-ID, and writing it again leaves one file', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'outbox-'));
  const { activities } = activitiesWith(new OutboxMailer(folder));
  const env = new MockActivityEnvironment();
  await env.run(activities.sendNote, reminderTo('CHN'));
  await env.run(activities.sendNote, reminderTo('CHN'));
  const files = readdirSync(folder);
  expect(files).toEqual(['LA_2026_1.reminder.3.CHN@obligations.un.int.eml']);
  const parsed = await simpleParser(readFileSync(join(folder, files[0] ?? '')));
  expect(parsed.messageId).toBe('<LA/2026/1.reminder.3.CHN@obligations.un.int>');
  expect(parsed.headers.get('content-language')).toBe('zh');
  expect(parsed.text).toContain(directory.require('CHN').names.zh);
});
