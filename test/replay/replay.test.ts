/**
 * Stored histories of every workflow type, replayed against the workflow code as it is now: a
 * change that would break open cases fails here. Changes to in-flight logic go behind patched().
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_PATH, workflowBundleCurrent } from '../../workers/bundle';
import { LOCAL_RECIPIENTS_PATCH, LOCAL_SINGLE_NOTES_PATCH } from '../../workflows/broadcast/batch';
import { ALL_SHARES_PATCH, NOTE_SHARES_PATCH, SHARES_PER_BATCH_PATCH } from '../../workflows/broadcast/workflow';
import { BOUNDED_NOTES_PATCH, SINGLE_STATE_NOTES_PATCH } from '../../workflows/case/entity';
import { OVERVIEW_ATTRIBUTES_PATCH } from '../../workflows/case/publish';
import { FAILED_NOTES } from '../../workflows/case/search-attributes';
import { quietRuntime } from '../support/temporal';

const folder = join(__dirname, '..', 'histories');
const files = readdirSync(folder).filter((name) => name.endsWith('.json')).sort();
const bundle = () => ({ codePath: process.env.TEST_WORKFLOW_BUNDLE ?? '' });

beforeAll(() => quietRuntime());

test('the bundle replayed is the release\'s bundle file, the one every worker loads, made from the sources as they are', () => {
  expect(bundle().codePath).toBe(WORKFLOW_BUNDLE_PATH);
  expect(workflowBundleCurrent()).toBe(true);
});

test('there are stored histories of every workflow type', () => {
  const types = files.map((name) => {
    const history = JSON.parse(readFileSync(join(folder, name), 'utf8')) as { events: { workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }[] };
    return history.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
  });
  expect(new Set(types)).toEqual(new Set(['caseWorkflow', 'broadcastNotes', 'campaignWorkflow', 'campaignStarter', 'policyInForce']));
});

test(`both paths of the ${NOTE_SHARES_PATCH} patch are among the stored broadcast histories`, () => {
  const broadcasts = files.filter((name) => name.startsWith('broadcast-')).map((name) => readFileSync(join(folder, name), 'utf8'));
  // Before the patch every note was its own sendNote activity; after it, shares go to sendNotes.
  const shared = broadcasts.filter((text) => text.includes('EVENT_TYPE_MARKER_RECORDED') && text.includes('"sendNotes"'));
  expect(shared.length).toBeGreaterThan(0);
  expect(broadcasts.filter((text) => text.includes('"sendNote"') && !text.includes('"sendNotes"')).length).toBeGreaterThan(0);
});

test(`both paths of the ${OVERVIEW_ATTRIBUTES_PATCH} patch are among the stored case histories`, () => {
  const cases = files.filter((name) => name.startsWith('case-')).map((name) => readFileSync(join(folder, name), 'utf8'));
  // After the patch a case publishes its failed notes; before it, it never did.
  const published = cases.filter((text) => text.includes(FAILED_NOTES.name));
  expect(published.length).toBeGreaterThan(0);
  expect(cases.length - published.length).toBeGreaterThan(0);
});

/** What the markers of one kind in a stored history record (the JSON of one of their details). */
function markersOf<T>(text: string, name: string, detail: string): T[] {
  const history = JSON.parse(text) as { events: { markerRecordedEventAttributes?: { markerName?: string; details?: Record<string, { payloads?: { data?: string }[] }> } }[] };
  return history.events.flatMap((event) => {
    const marker = event.markerRecordedEventAttributes;
    const data = marker?.markerName === name ? marker.details?.[detail]?.payloads?.[0]?.data : undefined;
    return data ? [JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as T] : [];
  });
}

/** The ids of the patches a stored history's markers record. */
const patchesOf = (text: string): string[] => markersOf<{ id: string }>(text, 'core_patch', 'patch-data').map((patch) => patch.id);

/** The activity types of the local activities a stored history's markers record. */
const localActivitiesOf = (text: string): string[] => markersOf<{ activity_type: string }>(text, 'core_local_activity', 'data').map((run) => run.activity_type);

/** How many activity tasks of the activity a stored history schedules. */
const scheduledCount = (text: string, activity: string): number => (text.match(new RegExp(`"activityType":\\s*\\{\\s*"name":\\s*"${activity}"`, 'g')) ?? []).length;

/** Whether a stored history schedules the activity as an activity task. */
const schedules = (text: string, activity: string): boolean => scheduledCount(text, activity) > 0;

test(`both paths of the ${BOUNDED_NOTES_PATCH} patch are among the stored case histories, and a case carried with a record per recipient`, () => {
  const cases = files.filter((name) => name.startsWith('case-')).map((name) => ({ name, text: readFileSync(join(folder, name), 'utf8') }));
  // Before the patch a case kept a record per recipient; after it, per-batch counts.
  const bounded = cases.filter(({ text }) => patchesOf(text).includes(BOUNDED_NOTES_PATCH));
  expect(bounded.length).toBeGreaterThan(0);
  expect(cases.length - bounded.length).toBeGreaterThan(0);
  expect(bounded.map(({ name }) => name)).toContain('case-carried-records-bounded-notes.json');
});

test(`both paths of the ${SINGLE_STATE_NOTES_PATCH} patch are among the stored case histories`, () => {
  const cases = files.filter((name) => name.startsWith('case-')).map((name) => readFileSync(join(folder, name), 'utf8'));
  // Before the patch a reminder was a batch workflow of its own; after it, the case's own sendNoteTo.
  const direct = cases.filter((text) => patchesOf(text).includes(SINGLE_STATE_NOTES_PATCH) && text.includes('"sendNoteTo"'));
  expect(direct.length).toBeGreaterThan(0);
  expect(cases.filter((text) => !patchesOf(text).includes(SINGLE_STATE_NOTES_PATCH) && /"workflowId":\s*"notes:[^"]*\.reminder\./.test(text)).length).toBeGreaterThan(0);
});

test(`both paths of the ${LOCAL_RECIPIENTS_PATCH} patch are among the stored case and campaign histories`, () => {
  const stored = files.filter((name) => name.startsWith('case-') || name.startsWith('campaign-full-cycle-')).map((name) => readFileSync(join(folder, name), 'utf8'));
  // Before the patch the recipients were a remote activity of their own; after it, a local one.
  expect(stored.filter((text) => patchesOf(text).includes(LOCAL_RECIPIENTS_PATCH) && !schedules(text, 'recipients') && text.includes('core_local_activity')).length).toBeGreaterThan(1);
  expect(stored.filter((text) => !patchesOf(text).includes(LOCAL_RECIPIENTS_PATCH) && schedules(text, 'recipients')).length).toBeGreaterThan(1);
});

test(`both paths of the ${LOCAL_SINGLE_NOTES_PATCH} patch are among the stored case histories`, () => {
  const single = files.filter((name) => name.startsWith('case-')).map((name) => readFileSync(join(folder, name), 'utf8')).filter((text) => patchesOf(text).includes(SINGLE_STATE_NOTES_PATCH));
  // Before the patch a note to one State was an activity task of the case; after it, a local activity.
  expect(single.filter((text) => patchesOf(text).includes(LOCAL_SINGLE_NOTES_PATCH) && localActivitiesOf(text).includes('sendNoteTo')).length).toBeGreaterThan(0);
  expect(single.filter((text) => !patchesOf(text).includes(LOCAL_SINGLE_NOTES_PATCH) && schedules(text, 'sendNoteTo')).length).toBeGreaterThan(0);
});

test(`both paths of the ${ALL_SHARES_PATCH} patch are among the stored broadcast histories`, () => {
  const shared = files.filter((name) => name.startsWith('broadcast-')).map((name) => readFileSync(join(folder, name), 'utf8')).filter((text) => patchesOf(text).includes(NOTE_SHARES_PATCH));
  expect(shared.filter((text) => patchesOf(text).includes(ALL_SHARES_PATCH)).length).toBeGreaterThan(0);
  expect(shared.filter((text) => !patchesOf(text).includes(ALL_SHARES_PATCH)).length).toBeGreaterThan(0);
});

test(`both paths of the ${SHARES_PER_BATCH_PATCH} patch are among the stored broadcast histories`, () => {
  const shared = files.filter((name) => name.startsWith('broadcast-')).map((name) => readFileSync(join(folder, name), 'utf8')).filter((text) => patchesOf(text).includes(NOTE_SHARES_PATCH));
  // Every stored batch went to the 195 States: in shares of twenty before the patch, in five after it.
  const sharesOf = (text: string) => scheduledCount(text, 'sendNotes');
  expect(shared.filter((text) => patchesOf(text).includes(SHARES_PER_BATCH_PATCH)).map(sharesOf)).toEqual([5]);
  const before = shared.filter((text) => !patchesOf(text).includes(SHARES_PER_BATCH_PATCH)).map(sharesOf);
  expect(before.length).toBeGreaterThan(0);
  expect(before.every((count) => count === 10)).toBe(true);
});

test('the stored campaign histories hold a resend of the circular note, and a starter run for a named session', () => {
  const text = (prefix: string) => files.filter((name) => name.startsWith(prefix)).map((name) => readFileSync(join(folder, name), 'utf8'));
  expect(text('campaign-full-cycle-').some((history) => history.includes('"resendFailed"'))).toBe(true);
  expect(text('campaign-starter-by-hand-').some((history) => history.includes('"planSessionCampaign"'))).toBe(true);
});

test('the workflow bundle carries no schema library: each cached case would hold its own copy of it', () => {
  const code = readFileSync(bundle().codePath, 'utf8');
  // The bundle names its modules by path: luxon is there, for the deadlines; zod must not be.
  expect(code).toMatch(/node_modules\/luxon\//);
  expect(code).not.toMatch(/node_modules\/zod\//);
});

test.each(files)('%s replays without a determinism error', async (name) => {
  const history = JSON.parse(readFileSync(join(folder, name), 'utf8')) as unknown;
  await expect(Worker.runReplayHistory({ workflowBundle: bundle() }, history, name)).resolves.toBeUndefined();
});

/**
 * Requests accepted before their values were bounded replay as they ran: each accepted update of a
 * stored history is given values past today's bounds (a reason of 2,500 characters, a report's
 * summary of 9,000) as an earlier release would have taken them, changing nothing else it did.
 */
test('updates accepted before the bounds existed, with values past them, still replay', async () => {
  const history = JSON.parse(readFileSync(join(folder, 'case-full-cycle-v1.json'), 'utf8')) as {
    events: { workflowExecutionUpdateAcceptedEventAttributes?: { acceptedRequest: { input: { name: string; args: { payloads: { data: string }[] } } } } }[];
  };
  let changed = 0;
  for (const event of history.events) {
    const input = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest.input;
    const payload = input?.args.payloads[0];
    if (!input || !payload) continue;
    const args = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')) as Record<string, unknown>;
    args.reason &&= 'r'.repeat(2500);
    if (input.name === 'report' && args.summary) args.summary = 's'.repeat(9000);
    payload.data = Buffer.from(JSON.stringify(args)).toString('base64');
    changed++;
  }
  expect(changed).toBe(6);
  await expect(Worker.runReplayHistory({ workflowBundle: bundle() }, history, 'case-full-cycle-v1, unbounded')).resolves.toBeUndefined();
});
