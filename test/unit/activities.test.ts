/** The note activities in the mock activity environment: no server, a recording mailer. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { simpleParser } from 'mailparser';
import { type Mailer, OutboxMailer } from '../../activities/mailer';
import { coalescedHeartbeats, createNoteActivities } from '../../activities/notes';
import { DELIVERY_REFUSED, type DeliveryResult, messageIdFor, type NoteRequest, type Recipient } from '../../domain/notes';
import { productData } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';

const { directory, templates, resolution } = productData();
const FROM = 'Codification Division <codification@un.example.org>';

function activitiesWith<M extends Mailer>(mailer: M) {
  return { mailer, activities: createNoteActivities({ directory, templates, resolution, mailer, from: FROM, zone: 'America/New_York' }) };
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

const campaignNote = (kind: 'circular' | 'views-reminder', code: string): NoteRequest => ({
  messageId: messageIdFor(`LA/COD/81.${kind}`, code),
  kind,
  to: { code, language: directory.require(code).language },
  date: kind === 'circular' ? '2025-01-20' : '2026-04-15',
  facts: { reference: 'LA/COD/81', session: 81, deadline: '2026-05-15', circularDate: '2025-01-20' },
});

test('the circular note of a session goes to an observer State through its Permanent Observer, with no host State', async () => {
  const { mailer, activities } = activitiesWith(new RecordingMailer());
  const result = await new MockActivityEnvironment().run(activities.sendNote, campaignNote('circular', 'VAT'));
  expect(result).toMatchObject({ to: 'VAT', status: 'sent' });
  const [mail] = mailer.sent;
  expect(mail).toMatchObject({ to: directory.require('VAT').email, language: 'en' });
  expect(mail?.text.startsWith('LA/COD/81\n\n')).toBe(true);
  expect(mail?.text).toContain('presents his compliments to the Permanent Observer of the Holy See to the United Nations');
  expect(mail?.text).toContain('grateful if the Permanent Observer would arrange for any reply to reach the Secretariat');
  expect(mail?.text).not.toContain('Permanent Representative');
  expect(mail?.text).toContain('paragraph 11 (a)');
  expect(mail?.text).toContain('In paragraph 13 of the resolution');
  expect(mail?.text).toContain('at its eighty-first session');
  expect(mail?.text).toContain('not later than 15 May 2026');
});

test('a views reminder recalls the circular note and the deadline in the recipient language', async () => {
  const { mailer, activities } = activitiesWith(new RecordingMailer());
  await new MockActivityEnvironment().run(activities.sendNote, campaignNote('views-reminder', 'FRA'));
  const [mail] = mailer.sent;
  expect(mail?.language).toBe('fr');
  expect(mail?.subject).toContain('rappel concernant la note circulaire du 20 janvier 2025');
  expect(mail?.text).toContain('au plus tard le 15 mai 2026');
  expect(mail?.text).toContain('présente ses compliments au Représentant permanent de la France');
});

test('a case note without its host State is not sent', async () => {
  const { mailer, activities } = activitiesWith(new RecordingMailer());
  const { hostState: _host, ...facts } = reminderTo('FRA').facts;
  const failure = await new MockActivityEnvironment().run(activities.sendNote, { ...reminderTo('FRA'), facts }).catch((err: unknown) => err);
  expect(String(failure)).toMatch(/no value for \{hostOf\}/);
  expect(mailer.sent).toHaveLength(0);
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
  expect(files).toEqual(['LA%2F2026%2F1.reminder.3.CHN%40obligations.un.int.eml']);
  const parsed = await simpleParser(readFileSync(join(folder, files[0] ?? '')));
  expect(parsed.messageId).toBe('<LA/2026/1.reminder.3.CHN@obligations.un.int>');
  expect(parsed.headers.get('content-language')).toBe('zh');
  expect(parsed.text).toContain(directory.require('CHN').names.zh);
});

describe('sendNotes: a share of a batch, resumable', () => {
  const share = (codes: string[], lastAttempt = 5) => ({
    batch: 'LA/2026/1.circulation.1',
    kind: 'circulation' as const,
    date: '2026-11-28',
    facts: { reference: 'LA/2026/1', hostState: 'ARG', reportedBy: 'FRA', reportKind: 'violation' as const, receivedOn: '2026-11-02' },
    recipients: codes.map((code) => ({ code, language: directory.require(code).language })),
    lastAttempt,
  });
  type Share = ReturnType<typeof share>;
  const run = (env: MockActivityEnvironment, activities: ReturnType<typeof activitiesWith>['activities'], input: Share) =>
    env.run<[Share], DeliveryResult[], typeof activities.sendNotes>(activities.sendNotes, input);

  test('sends each note once, records progress at once after the first, and answers in the recipients’ order', async () => {
    const { mailer, activities } = activitiesWith(new RecordingMailer());
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => beats.push(details));
    const results = await run(env, activities, share(['FRA', 'CHN', 'EGY']));
    expect(results.map((r) => [r.to, r.status])).toEqual([['FRA', 'sent'], ['CHN', 'sent'], ['EGY', 'sent']]);
    expect(mailer.sent.map((m) => m.language).sort()).toEqual(['ar', 'fr', 'zh']);
    // The other two settled within the heartbeat interval: the answer carries them, not a heartbeat.
    expect(beats).toEqual([[{ to: expect.any(String) as unknown, messageId: expect.any(String) as unknown, status: 'sent' }]]);
  });

  test('a refused address is recorded as failed and the others still go', async () => {
    const mailer = new RecordingMailer();
    mailer.refuse.add(directory.require('CHN').email);
    const { activities } = activitiesWith(mailer);
    const results = await run(new MockActivityEnvironment(), activities, share(['FRA', 'CHN', 'EGY']));
    expect(results.map((r) => r.status)).toEqual(['sent', 'failed', 'sent']);
    expect(results[1]?.error).toMatch(/550/);
  });

  test('a deferred address fails the attempt for a retry, which sends only what is still owed', async () => {
    const mailer = new RecordingMailer();
    mailer.defer.add(directory.require('CHN').email);
    const { activities } = activitiesWith(mailer);
    const first = new MockActivityEnvironment({ attempt: 1 });
    let progress: unknown;
    first.on('heartbeat', (details: unknown) => { progress = details; });
    await expect(run(first, activities, share(['FRA', 'CHN', 'EGY']))).rejects.toMatchObject({ type: 'DeliveryDeferred', message: expect.stringMatching(/1 of 3 notes deferred: CHN/) as unknown });
    expect(mailer.sent).toHaveLength(2);

    mailer.defer.clear();
    const retry = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: progress });
    const results = await run(retry, activities, share(['FRA', 'CHN', 'EGY']));
    expect(results.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    expect(mailer.sent.map((m) => m.to)).toEqual([directory.require('FRA').email, directory.require('EGY').email, directory.require('CHN').email]);
  });

  test('on the last attempt a deferral is recorded as failed rather than retried again', async () => {
    const mailer = new RecordingMailer();
    mailer.defer.add(directory.require('CHN').email);
    const { activities } = activitiesWith(mailer);
    const results = await run(new MockActivityEnvironment({ attempt: 5 }), activities, share(['FRA', 'CHN'], 5));
    expect(results.map((r) => r.status)).toEqual(['sent', 'failed']);
    expect(results[1]?.error).toMatch(/451/);
  });
});

describe('a share\'s heartbeats, coalesced', () => {
  const heartbeats = (everyMs: number) => {
    const beats: unknown[] = [];
    let settled = 0;
    const progress = coalescedHeartbeats({ heartbeat: (details) => beats.push(details) }, () => settled, everyMs);
    const note = () => { settled++; progress.note(); };
    return { beats, progress, note };
  };
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('the first note at once, the next ones together once the interval is up, with the latest progress', () => {
    const { beats, note } = heartbeats(40);
    note();
    note();
    note();
    expect(beats).toEqual([1]);
    jest.advanceTimersByTime(39);
    expect(beats).toEqual([1]);
    jest.advanceTimersByTime(1);
    expect(beats).toEqual([1, 3]);
    jest.advanceTimersByTime(40);
    note();
    expect(beats).toEqual([1, 3, 4]);
  });

  test('flush sends the heartbeat owed at once and nothing when none is owed; stop drops it', () => {
    const { beats, progress, note } = heartbeats(40);
    note();
    progress.flush();
    expect(beats).toEqual([1]);
    note();
    progress.flush();
    expect(beats).toEqual([1, 2]);
    note();
    progress.stop();
    jest.advanceTimersByTime(80);
    expect(beats).toEqual([1, 2]);
  });
});
