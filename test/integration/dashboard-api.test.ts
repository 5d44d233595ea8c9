/**
 * The dashboard's JSON API over real HTTP, against the development server and a worker: who may do
 * what, CSRF protection, refusals in the command line's types and messages, and the overview's figures.
 */
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import { campaignStatus, startCampaign } from '../../clients/campaigns';
import { type CaseRow, type CaseViewWithNotes, type NoteBatchDetail, registerCase, showCase } from '../../clients/cases';
import { type Engine } from '../../clients/engine';
import { type Overview } from '../../clients/overview';
import { setUser } from '../../clients/users';
import { type RunningDashboard, startDashboard } from '../../dashboard/server';
import { SignInThrottle } from '../../dashboard/sign-in-throttle';
import { ROLES } from '../../domain/roles';
import { type CampaignView } from '../../workflows/campaign/view';
import { type CaseView } from '../../workflows/case/view';
import { type ApiSession, call, passwordOf, signIn, testDashboard, userOf } from '../support/dashboard';
import { eventually } from '../support/eventually';
import { productData, sampleRegistration, testPolicy } from '../support/fixtures';
import { RecordingMailer } from '../support/mailers';
import { devServerEnvironment, startWorker, testEngine } from '../support/temporal';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let engine: Engine;
let dashboard: RunningDashboard & { dataDir: string };
let url: string;
const sessions = {} as Record<(typeof ROLES)[number], ApiSession>;
const mailer = new RecordingMailer();
/** A campaign session of this file's own on the run's shared server. */
const SESSION = 105;
// Due a second after registration: overdue by the time the tests look.
const overdue = sampleRegistration({ circulate: false });
// Its attention note is held for a legal officer.
const held = sampleRegistration({ circulate: false, occurredIn: 'DEU' });
const encoded = (reference: string) => encodeURIComponent(reference);
const settled = (view: CaseView) => view.deliveriesInFlight === 0;

beforeAll(async () => {
  env = await devServerEnvironment();
  let taskQueue: string;
  ({ worker, running, taskQueue } = await startWorker(env.nativeConnection, mailer));
  engine = testEngine(env.client, taskQueue);
  dashboard = await testDashboard(engine);
  url = dashboard.url;
  await registerCase(engine, overdue, 'Registry', { policy: testPolicy({ hostReport: 'PT1S' }) });
  await registerCase(engine, held, 'Registry', { policy: testPolicy({}, 'review') });
  for (const registration of [overdue, held]) await eventually(() => showCase(engine, registration.reference), settled, 'the case to settle');
  for (const role of ROLES) sessions[role] = await signIn(url, role);
});

afterAll(async () => {
  await dashboard?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
});

test('health answers without sign-in; every other route answers 401 without a session', async () => {
  const health = await call<{ ok: boolean; worker: { polling: boolean } }>(url, 'GET', '/api/health');
  expect(health.status).toBe(200);
  expect(health.body).toMatchObject({ ok: true, server: { reachable: true }, worker: { polling: true } });

  const routes: [string, string][] = [
    ['GET', '/api/overview'], ['GET', '/api/cases'], ['GET', `/api/cases/${encoded(overdue.reference)}`], ['GET', '/api/campaigns'], ['GET', `/api/campaigns/${SESSION}`],
    ['POST', `/api/cases/${encoded(overdue.reference)}/deadline`], ['POST', `/api/cases/${encoded(overdue.reference)}/attention`], ['POST', `/api/cases/${encoded(overdue.reference)}/close`],
    ['POST', `/api/campaigns/${SESSION}/resend`], ['DELETE', '/api/session'], ['GET', '/api/session'],
  ];
  for (const [method, path] of routes) {
    const answer = await call<{ error: { type: string } }>(url, method, path, undefined, method === 'POST' ? { reason: 'x' } : undefined);
    expect([method, path, answer.status, answer.body.error.type]).toEqual([method, path, 401, 'NotSignedIn']);
  }
  // Nothing of the body is looked at before the session: a malformed one is still 401.
  expect((await call(url, 'POST', `/api/cases/${encoded(overdue.reference)}/attention`, undefined, { approve: 'perhaps' })).status).toBe(401);
  // A route that does not exist is no hint to a stranger; to a signed-in user it is 404.
  expect((await call<{ error: { type: string } }>(url, 'GET', '/api/no-such-route')).body.error.type).toBe('NotSignedIn');
  expect((await call<{ error: { type: string } }>(url, 'GET', '/api/no-such-route', sessions.viewer))).toMatchObject({ status: 404, body: { error: { type: 'NotFound' } } });
  // A page sends the visitor to sign in, and back.
  const page = await call(url, 'GET', '/cases?overdue=true');
  expect(page.status).toBe(302);
  expect(page.headers.get('location')).toBe('/sign-in?next=%2Fcases%3Foverdue%3Dtrue');
});

test('sign-in: one answer for a wrong name and a wrong password, an HttpOnly SameSite cookie, and a CSRF token', async () => {
  const attempt = (name: string, password: string) => call<{ error: { type: string; message: string } }>(url, 'POST', '/api/session', undefined, { name, password });
  const wrongPassword = await attempt(userOf('viewer'), 'not the password');
  const unknownName = await attempt('nobody at all', 'not the password');
  expect(wrongPassword.status).toBe(401);
  expect(unknownName).toMatchObject({ status: 401, body: wrongPassword.body });
  expect(wrongPassword.body.error).toEqual({ type: 'SignInFailed', message: 'the name or the password is wrong' });

  const good = await call<{ name: string; role: string; csrfToken: string }>(url, 'POST', '/api/session', undefined, { name: userOf('legal-officer'), password: passwordOf('legal-officer') });
  expect(good.status).toBe(200);
  expect(good.body).toMatchObject({ name: userOf('legal-officer'), role: 'legal-officer' });
  expect(good.body.csrfToken.length).toBeGreaterThan(20);
  const cookie = good.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/^obligations\.sid=/);
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=(Strict|Lax)/i);
  // The answer and the cookie hold no password or hash.
  expect(JSON.stringify(good.body)).not.toContain(passwordOf('legal-officer'));
});

test('signing in gives a new session id, even to a browser that had one', async () => {
  const first = await signIn(url, 'viewer');
  const again = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: first.cookie }, body: JSON.stringify({ name: userOf('viewer'), password: passwordOf('viewer') }) });
  expect(again.status).toBe(200);
  const cookie = (again.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie).toMatch(/^obligations\.sid=./);
  expect(cookie).not.toBe(first.cookie);
});

test('behind a TLS proxy the session cookie is Secure and SameSite=Strict', async () => {
  const proxied = await startDashboard({ engine, dataDir: dashboard.dataDir, sessionHours: 1, host: '127.0.0.1', port: 0, trustProxy: '127.0.0.1' });
  try {
    const response = await fetch(`${proxied.url}/api/session`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: JSON.stringify({ name: userOf('viewer'), password: passwordOf('viewer') }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
  } finally {
    await proxied.close();
  }
});

test('failed sign-ins are slowed down: after five, the next attempt is refused with Retry-After until the wait is over', async () => {
  // A dashboard of its own (its throttle counts the loopback address too), on a clock the test moves:
  // a slow password hash on a loaded machine cannot let the wait pass unseen.
  let now = Date.now();
  const own = await testDashboard(engine, { throttle: new SignInThrottle(() => now) });
  try {
    const attempt = (password: string) => call<{ error: { type: string } }>(own.url, 'POST', '/api/session', undefined, { name: userOf('viewer'), password });
    for (let i = 0; i < 6; i++) expect((await attempt('wrong')).status).toBe(401);
    const refused = await attempt(passwordOf('viewer'));
    expect(refused.status).toBe(429);
    expect(refused.body.error.type).toBe('TooManyAttempts');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    now += 999;
    expect((await attempt(passwordOf('viewer'))).status).toBe(429);
    // Once the wait is over, the right password signs in.
    now += 1;
    expect((await attempt(passwordOf('viewer'))).status).toBe(200);
  } finally {
    await own.close();
  }
});

test('attempts sent all at once are slowed down as they arrive, before any password is judged', async () => {
  const own = await testDashboard(engine);
  try {
    const answers = await Promise.all(Array.from({ length: 20 }, () => call(own.url, 'POST', '/api/session', undefined, { name: 'admin', password: 'guess' })));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(6);
    expect(statuses.filter((status) => status === 429)).toHaveLength(14);
  } finally {
    await own.close();
  }
});

test('a request that changes something without the session’s CSRF token is refused with 403 and reaches no case', async () => {
  const before = await showCase(engine, overdue.reference);
  const path = `/api/cases/${encoded(overdue.reference)}/deadline`;
  const change = { action: 'extend', by: 'P10D', reason: 'forged' };
  const missing = await call<{ error: { type: string } }>(url, 'POST', path, sessions['legal-officer'], change, { csrf: false });
  const foreign = await call<{ error: { type: string } }>(url, 'POST', path, sessions['legal-officer'], change, { csrf: sessions.administrator.csrfToken });
  const made = await call<{ error: { type: string } }>(url, 'POST', path, sessions['legal-officer'], change, { csrf: 'a-made-up-token' });
  const signOut = await call<{ error: { type: string } }>(url, 'DELETE', '/api/session', sessions['legal-officer'], undefined, { csrf: false });
  for (const answer of [missing, foreign, made, signOut]) expect([answer.status, answer.body.error.type]).toEqual([403, 'CsrfTokenInvalid']);
  expect((await showCase(engine, overdue.reference)).timeline).toEqual(before.timeline);
});

test('a viewer and operations may read but not act on a case: 403, and nothing reaches it', async () => {
  const before = await showCase(engine, overdue.reference);
  const reference = encoded(overdue.reference);
  for (const role of ['viewer', 'operations'] as const) {
    for (const [path, body] of [['deadline', { action: 'extend', by: 'P10D', reason: 'r' }], ['attention', { approve: true, reason: 'r' }], ['close', { reason: 'r' }]] as const) {
      const answer = await call<{ error: { type: string; message: string } }>(url, 'POST', `/api/cases/${reference}/${path}`, sessions[role], body);
      expect([role, path, answer.status, answer.body.error.type]).toEqual([role, path, 403, 'Forbidden']);
    }
    const read = await call<CaseView>(url, 'GET', `/api/cases/${reference}`, sessions[role]);
    expect(read.status).toBe(200);
  }
  expect((await showCase(engine, overdue.reference)).timeline).toEqual(before.timeline);
});

test('a case reads as `case show --json` does, and the list filters by status, host State, overdue and words', async () => {
  const shown = await call<CaseView>(url, 'GET', `/api/cases/${encoded(held.reference)}`, sessions.viewer);
  expect(shown.body).toEqual(JSON.parse(JSON.stringify(await showCase(engine, held.reference))));

  const list = async (query: string) => {
    const answer = await call<{ cases: CaseRow[] }>(url, 'GET', `/api/cases?${query}`, sessions.viewer);
    expect(answer.status).toBe(200);
    return answer.body.cases.map((row) => row.reference);
  };
  const listed = await eventually(() => list('overdue=true'), (found) => found.includes(overdue.reference), 'the overdue case in the list');
  expect(listed).not.toContain(held.reference);
  expect(await list('state=DEU')).toEqual([held.reference]);
  expect(await list(`state=ARG&status=awaiting-report`)).toContain(overdue.reference);
  // Words: the host State's name in French, and part of the reference.
  expect(await list(`q=${encodeURIComponent('allemagne')}`)).toEqual([held.reference]);
  expect(await list(`q=${encodeURIComponent(held.reference.split('/').slice(-2).join('/'))}`)).toEqual([held.reference]);
  expect(await list('attention=true')).toEqual([held.reference]);

  const bad = await call<{ error: { type: string; message: string } }>(url, 'GET', '/api/cases?status=sleeping', sessions.viewer);
  expect(bad).toMatchObject({ status: 400, body: { error: { type: 'InputError', message: expect.stringContaining('--status: "sleeping" is not one of awaiting-report') as string } } });
  const unknown = await call<{ error: { type: string; message: string } }>(url, 'GET', `/api/cases/${encoded('NO/SUCH/CASE')}`, sessions.viewer);
  expect(unknown).toMatchObject({ status: 404, body: { error: { type: 'NotFoundError', message: 'no case with reference NO/SUCH/CASE' } } });
});

test("a case's note batch, recipient by recipient, on demand: from the API and from the case's page", async () => {
  const view = await eventually(() => showCase(engine, overdue.reference), (v) => settled(v) && v.notes.length > 0 && v.notes.every((b) => b.pending === 0), 'the attention notes');
  const batch = view.notes[0]?.batch ?? '';
  const path = `/api/cases/${encoded(overdue.reference)}/notes/${encoded(batch)}`;
  const answer = await call<NoteBatchDetail>(url, 'GET', path, sessions.viewer);
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ batch, kind: 'attention', recipients: 2, sent: 2, failed: 0 });
  expect(answer.body.deliveries.map((d) => [d.to, d.language, d.status])).toEqual([['ARG', 'es', 'sent'], ['URY', 'es', 'sent']]);
  // The case with every batch's deliveries is `case show --notes`; without, the counts and failures only.
  const withNotes = await call<CaseViewWithNotes>(url, 'GET', `/api/cases/${encoded(overdue.reference)}?notes=true`, sessions.viewer);
  expect(withNotes.body.notes[0]?.deliveries).toEqual(answer.body.deliveries);
  expect((await call<CaseView>(url, 'GET', `/api/cases/${encoded(overdue.reference)}`, sessions.viewer)).body.notes[0]).not.toHaveProperty('deliveries');
  expect((await call(url, 'GET', `/api/cases/${encoded(overdue.reference)}/notes/${encoded(`${held.reference}.attention.1`)}`, sessions.viewer)).status).toBe(404);

  const page = await call<string>(url, 'GET', `/cases/${encoded(overdue.reference)}`, sessions.viewer);
  expect(page.body).toContain(`href="/cases/${encoded(overdue.reference)}/notes/${encoded(batch)}"`);
  const batchPage = await call<string>(url, 'GET', `/cases/${encoded(overdue.reference)}/notes/${encoded(batch)}`, sessions.viewer);
  expect(batchPage.status).toBe(200);
  expect(batchPage.body).toContain(`${batch}.URY@obligations.un.int`);
});

test("a legal officer's actions land in the timeline under their name; refusals come back as 400 or 409 in the command line's types", async () => {
  const officer = sessions['legal-officer'];
  const path = (action: string) => `/api/cases/${encoded(held.reference)}/${action}`;
  const refused = async (action: string, body: unknown) => (await call<{ error: { type: string; message: string } }>(url, 'POST', path(action), officer, body));

  expect(await refused('deadline', { action: 'extend', by: 'P10D' })).toMatchObject({ status: 400, body: { error: { type: 'InputError', message: 'reason is required and must not be empty' } } });
  expect(await refused('deadline', { action: 'extend', by: 'P10D', to: '2027-06-01', reason: 'both' })).toMatchObject({ status: 400, body: { error: { message: 'give exactly one of --by DURATION or --to DATE' } } });
  expect(await refused('deadline', { action: 'postpone', reason: 'r' })).toMatchObject({ status: 400, body: { error: { type: 'InvalidRequest' } } });
  expect(await refused('deadline', { action: 'shorten', to: '2020-01-01', reason: 'the past' })).toMatchObject({ status: 400, body: { error: { type: 'DateInPast' } } });
  expect(await refused('deadline', { action: 'extend', by: 'P10D', reason: 'x'.repeat(2001) })).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('at most 2000') as string } } });
  expect(await refused('deadline', { action: 'resume', reason: 'not paused' })).toMatchObject({ status: 409, body: { error: { type: 'NotPaused', message: `case ${held.reference}: the deadline is not paused` } } });
  expect(await refused('attention', { reason: 'undecided' })).toMatchObject({ status: 400, body: { error: { message: 'say whether the attention note is approved: approve must be true or false' } } });
  // Taken as sent: 0 is no decision.
  expect(await refused('attention', { approve: 0, reason: 'undecided' })).toMatchObject({ status: 400, body: { error: { type: 'InvalidRequest' } } });
  expect(await refused('deadline', { action: 'extend', by: 'P10D', reason: 12 })).toMatchObject({ status: 400, body: { error: { type: 'InvalidRequest' } } });

  const extended = await call<CaseView>(url, 'POST', path('deadline'), officer, { action: 'extend', by: 'P10D', reason: 'The host State asked for time' });
  expect(extended.status).toBe(200);
  expect(extended.body.timeline.at(-1)).toMatchObject({ action: 'deadline-extended', actor: userOf('legal-officer'), reason: 'The host State asked for time' });

  const decided = await call<CaseView>(url, 'POST', path('attention'), officer, { approve: false, reason: 'The States concerned are in contact' });
  expect(decided.status).toBe(200);
  expect(decided.body.attention.status).toBe('declined');
  expect(await refused('attention', { approve: true, reason: 'again' })).toMatchObject({ status: 409, body: { error: { type: 'AttentionNotPending' } } });

  const closed = await call<CaseView>(url, 'POST', path('close'), sessions.administrator, { reason: 'Settled between the States' });
  expect(closed.status).toBe(200);
  expect(closed.body.timeline.at(-1)).toMatchObject({ action: 'closed', actor: userOf('administrator') });
  expect(await refused('close', { reason: 'twice' })).toMatchObject({ status: 409, body: { error: { type: 'CaseClosed' } } });
});

test("the overview's figures count this system's cases", async () => {
  const figures = await eventually(
    () => call<Overview>(url, 'GET', '/api/overview', sessions.viewer).then((answer) => answer.body),
    (o) => o.overdue.count >= 1 && o.cases.byStatus.closed >= 1,
    'the overview to count the overdue and the closed case',
  );
  expect(figures.overdue.cases.map((row) => row.reference)).toContain(overdue.reference);
  expect(figures.cases.total).toBe(2);
  expect(figures.cases.byStatus).toMatchObject({ closed: 1 });
  expect(figures.timeline).toHaveLength(figures.dueSoon.days);
  expect(figures.workers).toMatchObject({ polling: true });
  expect(figures.attentionPending.count).toBe(0);
});

test('worker health names the note batches whose activities are being retried, and why', async () => {
  // Kenya's relay asks again and again to try later: the batch's activity is retried with backoff.
  const kenya = productData().directory.require('KEN').email;
  mailer.defer.add(kenya);
  const retried = sampleRegistration({ occurredIn: 'KEN' });
  await registerCase(engine, retried, 'Registry');
  try {
    const health = await eventually(
      () => call<Overview>(url, 'GET', '/api/overview', sessions.viewer).then((answer) => answer.body.workers),
      (workers) => workers.retrying.length > 0,
      'a retried activity in the overview',
    );
    expect(health.batchesRunning).toBeGreaterThanOrEqual(1);
    expect(health.retrying[0]).toMatchObject({ workflowId: expect.stringContaining(retried.reference) as string, attempt: expect.any(Number) as number, failure: expect.stringContaining('451 try again later') as string });
  } finally {
    mailer.defer.delete(kenya);
  }
});

test("a campaign's per-State status; operations may send again where delivery failed, a viewer may not", async () => {
  expect((await call(url, 'GET', `/api/campaigns/${SESSION}`, sessions.viewer)).status).toBe(404);
  await startCampaign(engine, SESSION, 'Operations');
  await eventually(() => campaignStatus(engine, SESSION), (view) => view.counts.states > 0 && view.counts.pending === 0, 'the circular note to be delivered');
  const view = await call<CampaignView>(url, 'GET', `/api/campaigns/${SESSION}`, sessions.viewer);
  expect(view.status).toBe(200);
  expect(view.body.states).toHaveLength(view.body.counts.states);
  expect(view.body.counts).toMatchObject({ sent: view.body.counts.states, failed: 0 });
  const listed = await call<{ campaigns: { session: number; open: boolean }[] }>(url, 'GET', '/api/campaigns', sessions.viewer);
  expect(listed.body.campaigns).toEqual([{ session: SESSION, open: true }]);

  expect((await call<{ error: { type: string } }>(url, 'POST', `/api/campaigns/${SESSION}/resend`, sessions.viewer, { reason: 'r' })).body.error.type).toBe('Forbidden');
  expect((await call<{ error: { type: string } }>(url, 'POST', `/api/campaigns/${SESSION}/resend`, sessions['legal-officer'], { reason: 'r' })).status).toBe(403);
  const nothing = await call<{ error: { type: string } }>(url, 'POST', `/api/campaigns/${SESSION}/resend`, sessions.operations, { reason: 'Addresses corrected' });
  expect([nothing.status, nothing.body.error.type]).toEqual([409, 'NothingFailed']);
  // The page lists every State's delivery, and links to the draft report, which downloads in both forms.
  const page = await call<string>(url, 'GET', `/campaigns/${SESSION}`, sessions.viewer);
  expect(page.status).toBe(200);
  expect(page.body).toContain('Argentina');
  expect(page.body).toContain(`href="/campaigns/${SESSION}/report.docx"`);
  expect(page.body).toContain(`href="/campaigns/${SESSION}/addendum.docx"`);
  const markdown = await call<string>(url, 'GET', `/campaigns/${SESSION}/report.md`, sessions.viewer);
  expect(markdown.status).toBe(200);
  expect(markdown.headers.get('content-disposition')).toBe(`attachment; filename="report-session-${SESSION}.md"`);
  expect(markdown.body).toContain('79/124');
  const addendum = await call<string>(url, 'GET', `/campaigns/${SESSION}/addendum.md`, sessions.viewer);
  expect(addendum.headers.get('content-disposition')).toBe(`attachment; filename="addendum-session-${SESSION}.md"`);
  expect(addendum.body).toContain(`A/${SESSION}/…/Add.1`);
  expect((await call<string>(url, 'GET', `/campaigns/${SESSION}/annex.md`, sessions.viewer)).status).toBe(404);
  const word = await fetch(`${url}/campaigns/${SESSION}/report.docx`, { headers: { cookie: sessions.viewer.cookie } });
  expect(word.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  // A Word file is a zip archive.
  expect(Buffer.from(await word.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  const bad = await call<{ error: { message: string } }>(url, 'GET', '/api/campaigns/eighty', sessions.viewer);
  expect(bad).toMatchObject({ status: 400, body: { error: { message: '--session: "eighty" is not a session number' } } });
});

test('the OpenAPI description names every route of the contract', async () => {
  const description = await call<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(url, 'GET', '/openapi.json');
  expect(description.body.openapi).toMatch(/^3\./);
  const routes = Object.entries(description.body.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
  expect(routes).toEqual(expect.arrayContaining([
    'POST /api/session', 'DELETE /api/session', 'GET /api/health', 'GET /api/overview', 'GET /api/cases', 'GET /api/cases/{reference}',
    'GET /api/cases/{reference}/notes/{batch}', 'POST /api/cases/{reference}/deadline', 'POST /api/cases/{reference}/attention', 'POST /api/cases/{reference}/close', 'GET /api/campaigns/{session}',
  ]));
});

test('signing out ends the session, and so does a new password', async () => {
  const own = await signIn(url, 'viewer');
  const out = await call(url, 'DELETE', '/api/session', own);
  expect(out.status).toBe(204);
  expect((await call(url, 'GET', '/api/overview', own)).status).toBe(401);

  const again = await signIn(url, 'viewer');
  expect((await call(url, 'GET', '/api/session', again)).status).toBe(200);
  await setUser(dashboard.dataDir, { name: userOf('viewer'), role: 'viewer', password: 'a new passphrase' });
  expect((await call(url, 'GET', '/api/session', again)).status).toBe(401);
  await setUser(dashboard.dataDir, { name: userOf('viewer'), role: 'viewer', password: passwordOf('viewer') });
});
