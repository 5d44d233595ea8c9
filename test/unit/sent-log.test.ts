import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OutgoingMail } from '../../activities/mailer';
import { SentLog } from '../../activities/sent-log';
import { RecordingMailer } from '../support/mailers';

const note = (id: string, to = 'ny.mission@example.org'): OutgoingMail => ({ messageId: `<${id}@obligations.un.int>`, from: 'ola@example.org', to, subject: 's', text: 't', language: 'en' });

describe('the sent log', () => {
  let folder: string;
  beforeEach(() => { folder = mkdtempSync(join(tmpdir(), 'sent-log-')); });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  test('records each note the relay took, and a worker started on the same folder sends none of them again', async () => {
    const file = join(folder, 'data', 'sent.log');
    const first = new RecordingMailer();
    const log = new SentLog(first, file);
    await log.send(note('a'));
    await log.send(note('a'));
    await log.send(note('b'));
    expect(first.sent.map((mail) => mail.messageId)).toEqual(['<a@obligations.un.int>', '<b@obligations.un.int>']);
    expect(readFileSync(file, 'utf8')).toBe('<a@obligations.un.int>\n<b@obligations.un.int>\n');

    const next = new RecordingMailer();
    const restarted = new SentLog(next, file);
    await restarted.send(note('b'));
    await restarted.send(note('c'));
    expect(next.sent.map((mail) => mail.messageId)).toEqual(['<c@obligations.un.int>']);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toEqual(['<a@obligations.un.int>', '<b@obligations.un.int>', '<c@obligations.un.int>']);
    log.close();
    restarted.close();
  });

  test('a note refused is not recorded, and one the relay answers after the log closed still is', async () => {
    const file = join(folder, 'sent.log');
    const mailer = new RecordingMailer();
    mailer.refuse.add('refused@example.org');
    mailer.hold.add('slow@example.org');
    const log = new SentLog(mailer, file);
    await expect(log.send(note('r', 'refused@example.org'))).rejects.toThrow(/550/);
    const slow = log.send(note('s', 'slow@example.org'));
    log.close();
    mailer.release();
    await slow;
    expect(readFileSync(file, 'utf8')).toBe('<s@obligations.un.int>\n');
  });
});
