import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { DateTime } from 'luxon';
import { version } from '../package.json';
import {
  changeDeadline, closeCase, decideAttention, listCases, registerCase, reportOnCase, showCase,
} from '../clients/cases';
import {
  campaignStatus, parseSession, pauseSchedule, recordViews, resendFailed, resumeSchedule, type ScheduleView, showSchedule, startCampaign, triggerSchedule,
} from '../clients/campaigns';
import { draftReport } from '../clients/report/draft';
import { readDocument } from '../clients/documents';
import { type Engine } from '../clients/engine';
import { InputError } from '../clients/errors';
import { recordInstrumentAction, showInstruments } from '../clients/instruments';
import { overview } from '../clients/overview';
import { checkedUserName, listUsers, setUser, usersFile } from '../clients/users';
import { REPORT_KINDS } from '../domain/case';
import { TREATY_ACTIONS } from '../domain/instruments';
import { ROLES } from '../domain/roles';
import { type App, loadApp, temporalAddress } from '../config/app';
import { runDashboard, type RunOptions, runSystem } from '../workers/run';
import { explainUnreachable, openEngine } from './engine';
import { formatCampaign, formatCase, formatCaseRows, formatInstruments, formatSchedule, formatStatus } from './format';
import { readPassword } from './password';
import { createOutput, EXIT_BAD_INPUT, EXIT_OK, type Output, reportError } from './output';

interface Context {
  app: App;
  engine: Engine;
  out: Output;
  actor: string;
}

/** Run an action that talks to the engine: load and check the configuration, connect, act, report. */
function withEngine<A extends unknown[]>(action: (context: Context, ...args: A) => Promise<void>) {
  return withApp<A>(async (context, ...args) => {
    const { engine, close } = openEngine(context.app);
    try {
      await action({ ...context, engine }, ...args);
    } catch (err) {
      throw explainUnreachable(err, context.app);
    } finally {
      await close().catch(() => undefined);
    }
  });
}

/** Run an action on the configuration and data files alone, with no Temporal connection. */
function withApp<A extends unknown[]>(action: (context: Omit<Context, 'engine'>, ...args: A) => Promise<void>) {
  return async (...args: A) => {
    const command = args[args.length - 1] as Command;
    const globals = command.optsWithGlobals<{ json?: boolean; actor?: string }>();
    const out = createOutput(Boolean(globals.json));
    try {
      await action({ app: loadApp(), out, actor: globals.actor ?? process.env.OBLIGATIONS_ACTOR ?? '' }, ...args);
    } catch (err) {
      process.exitCode = reportError(err, out.json);
    }
  };
}

/** A long-running command: it prints its progress to standard error and runs until Ctrl-C. */
function runServer(run: (app: App, options: Omit<RunOptions, 'embedded'>) => Promise<void>) {
  return async (_options: unknown, command: Command) => {
    const out = createOutput(Boolean(command.optsWithGlobals<{ json?: boolean }>().json));
    const stopSignal = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    try {
      await run(loadApp(), { say: (line) => void process.stderr.write(`${line}\n`), stopSignal });
    } catch (err) {
      process.exitCode = reportError(err, out.json);
    }
  };
}

const view = (context: Context, value: Awaited<ReturnType<typeof showCase>>) => context.out.data(value, () => formatCase(value));

export function buildProgram(): Command {
  const program = new Command('obligations')
    .description("The Secretary-General's duties under General Assembly resolution 79/124, as durable workflows")
    .version(version)
    .option('--json', 'machine-readable output')
    .option('--actor <name>', 'who is acting (default: OBLIGATIONS_ACTOR)')
    .showHelpAfterError()
    .exitOverride();

  program.command('dev').description('run the whole system on the embedded Temporal development server (what `npm start` runs)').action(runServer((app, options) => runSystem(app, { ...options, embedded: true })));
  program.command('worker').description('run the worker alone, against TEMPORAL_ADDRESS').action(runServer((app, options) => runSystem(app, { ...options, embedded: false })));
  program.command('status').description('what the dashboard overview shows: server, worker, cases by status, overdue, failed deliveries, the campaign')
    .action(withEngine(async (context) => {
      const status = await overview(context.engine);
      context.out.data(status, () => formatStatus(status, temporalAddress(context.app.config), context.engine.taskQueue));
    }));
  program.command('dashboard').description('run the web dashboard alone (DASHBOARD_PORT, default 8080), against TEMPORAL_ADDRESS or the embedded server').action(runServer(runDashboard));

  const cases = program.command('case').description('reported serious violations (11 (a)) and their follow-up');
  cases.command('register <file>').description('open a case from a JSON or YAML file')
    .action(withEngine(async (context, file: string) => {
      const registered = await registerCase(context.engine, readDocument(file), context.actor);
      context.out.data(registered, () => `${registered.created ? 'Registered' : 'Already registered (same content)'}: case ${registered.reference} (workflow ${registered.workflowId})`);
    }));
  cases.command('show <reference>').description('a case: status, deadlines, notes, timeline')
    .action(withEngine(async (context, reference: string) => view(context, await showCase(context.engine, reference))));
  cases.command('list').description('cases, filtered')
    .option('--status <status>', 'awaiting-report | awaiting-follow-up | paused | unresponsive | concluded | closed')
    .option('--state <iso3>', 'host State')
    .option('--overdue', 'only cases whose deadline has passed')
    .action(withEngine(async (context, options: { status?: string; state?: string; overdue?: boolean }) => {
      const rows = await listCases(context.engine, options);
      context.out.data(rows, () => formatCaseRows(rows));
    }));
  cases.command('report <reference>').description('record a report received on a case (11 (a) or 11 (b))')
    .requiredOption('--from <iso3>', 'the reporting State')
    .addOption(new Option('--kind <kind>', 'what the report is').choices(REPORT_KINDS).makeOptionMandatory())
    .requiredOption('--received-on <date>', 'date of receipt (YYYY-MM-DD)')
    .option('--no-circulate', 'the reporting State asked that the report not be circulated')
    .option('--summary <text>', 'a summary of the report')
    .action(withEngine(async (context, reference: string, o: { from: string; kind: string; receivedOn: string; circulate: boolean; summary?: string }) => {
      const report = { from: o.from, kind: o.kind, receivedOn: o.receivedOn, circulate: o.circulate, ...(o.summary !== undefined ? { summary: o.summary } : {}) };
      view(context, await reportOnCase(context.engine, reference, report, context.actor));
    }));
  cases.command('attention <reference>').description("decide a held 12 (c) attention note")
    .option('--approve', 'send the note').option('--decline', 'do not send it')
    .requiredOption('--reason <text>', 'why')
    .action(withEngine(async (context, reference: string, o: { approve?: boolean; decline?: boolean; reason: string }) => {
      if (Boolean(o.approve) === Boolean(o.decline)) throw new InputError('give exactly one of --approve or --decline');
      view(context, await decideAttention(context.engine, reference, { approve: Boolean(o.approve), reason: o.reason, actor: context.actor }));
    }));
  cases.command('close <reference>').description('close a case').requiredOption('--reason <text>', 'why')
    .action(withEngine(async (context, reference: string, o: { reason: string }) => {
      view(context, await closeCase(context.engine, reference, { reason: o.reason, actor: context.actor }));
    }));

  const deadline = program.command('deadline').description("change a case's open deadline, with a stated reason");
  for (const op of ['extend', 'shorten'] as const) {
    deadline.command(`${op} <reference>`).description(`${op} the open deadline by a duration or to a date`)
      .option('--by <duration>', 'ISO 8601 duration, e.g. P30D').option('--to <date>', 'new due date (YYYY-MM-DD, due at its end at Headquarters)')
      .requiredOption('--reason <text>', 'why')
      .action(withEngine(async (context, reference: string, o: { by?: string; to?: string; reason: string }) => {
        view(context, await changeDeadline(context.engine, reference, { op, ...(o.by ? { by: o.by } : {}), ...(o.to ? { to: o.to } : {}), reason: o.reason, actor: context.actor }));
      }));
  }
  for (const op of ['pause', 'resume'] as const) {
    deadline.command(`${op} <reference>`).description(op === 'pause' ? 'stop the clock: no reminder goes out' : 'restart the clock with the time that was left')
      .requiredOption('--reason <text>', 'why')
      .action(withEngine(async (context, reference: string, o: { reason: string }) => {
        view(context, await changeDeadline(context.engine, reference, { op, reason: o.reason, actor: context.actor }));
      }));
  }
  const campaign = program.command('campaign').description("each session's circular note (12 (a)) and the views received (13)");
  const session = parseSession;
  campaign.command('start').description("start a session's campaign by hand").requiredOption('--session <n>', 'General Assembly session, e.g. 81')
    .action(withEngine(async (context, o: { session: string }) => {
      const started = await startCampaign(context.engine, session(o.session), context.actor);
      context.out.data(started, () => `${started.created ? 'Started' : 'Already started'}: campaign of session ${started.session}, replies due ${started.deadline} (workflow ${started.workflowId})`);
    }));
  campaign.command('status').description('deliveries and replies of a session').requiredOption('--session <n>', 'General Assembly session')
    .action(withEngine(async (context, o: { session: string }) => {
      const status = await campaignStatus(context.engine, session(o.session));
      context.out.data(status, () => formatCampaign(status));
    }));
  campaign.command('views').description("record a State's views (13); after the deadline they go to the addendum")
    .requiredOption('--session <n>', 'General Assembly session').requiredOption('--from <iso3>', 'the State')
    .requiredOption('--received-on <date>', 'date of receipt (YYYY-MM-DD)')
    .option('--file <path>', 'a text file with the summary of the views').option('--summary <text>', 'a summary of the views')
    .action(withEngine(async (context, o: { session: string; from: string; receivedOn: string; file?: string; summary?: string }) => {
      if ((o.file === undefined) === (o.summary === undefined)) throw new InputError('give exactly one of --file F or --summary TEXT');
      const summary = o.file !== undefined ? readText(o.file) : (o.summary ?? '');
      const status = await recordViews(context.engine, session(o.session), { state: o.from, receivedOn: o.receivedOn, summary }, context.actor);
      context.out.data(status, () => formatCampaign(status));
    }));

  campaign.command('resend').description('send the circular note again to the States whose delivery failed')
    .requiredOption('--session <n>', 'General Assembly session').requiredOption('--reason <text>', 'why, e.g. the address was corrected')
    .action(withEngine(async (context, o: { session: string; reason: string }) => {
      const status = await resendFailed(context.engine, session(o.session), o.reason, context.actor);
      context.out.data(status, () => formatCampaign(status));
    }));

  const schedule = program.command('schedule').description("the Schedule that starts each session's campaign");
  const scheduleAction = (act: (context: Context, reason: string) => Promise<ScheduleView>) =>
    withEngine(async (context, o: { reason?: string }) => {
      const view = await act(context, o.reason ?? '');
      context.out.data(view, () => formatSchedule(view));
    });
  schedule.command('show').description('calendar, state, next and recent runs').action(scheduleAction((context) => showSchedule(context.engine)));
  schedule.command('pause').description('stop starting campaigns').requiredOption('--reason <text>', 'why')
    .action(scheduleAction((context, reason) => pauseSchedule(context.engine, reason, context.actor)));
  schedule.command('resume').description('start campaigns again').requiredOption('--reason <text>', 'why')
    .action(scheduleAction((context, reason) => resumeSchedule(context.engine, reason, context.actor)));
  schedule.command('trigger').description("start the current session's campaign now").action(scheduleAction((context) => triggerSchedule(context.engine)));
  const instruments = program.command('instruments').description('participation in the instruments of paragraph 9');
  instruments.command('show').description('parties and signatories of each instrument, as at the data’s date')
    .action(withApp(async (context) => {
      const shown = await showInstruments(context.app.config.dataDir, context.app.directory);
      context.out.data(shown, () => formatInstruments(shown));
    }));
  instruments.command('record').description("record a State's action on an instrument")
    .requiredOption('--instrument <id>', 'e.g. vcdr, vccr, ipp, special-missions')
    .requiredOption('--state <iso3>', 'the State')
    .addOption(new Option('--action <action>', 'what it did').choices(TREATY_ACTIONS).makeOptionMandatory())
    .requiredOption('--date <date>', 'date of the action (YYYY-MM-DD)')
    .action(withApp(async (context, o: { instrument: string; state: string; action: string; date: string }) => {
      const today = DateTime.now().setZone(context.app.config.deadlines.zone).toISODate() ?? '';
      const recorded = await recordInstrumentAction(context.app.config.dataDir, context.app.directory, { instrument: o.instrument, state: o.state, action: o.action, date: o.date }, today);
      context.out.data({ path: recorded.path, backup: recorded.backup, recorded: recorded.recorded, asAt: recorded.status.asAt },
        () => `Recorded: ${o.state} ${o.action} of ${o.instrument} on ${o.date} (in ${recorded.path}; previous file kept as ${recorded.backup})`);
    }));

  const report = program.command('ga-report').description('the report of the Secretary-General under paragraph 14');
  report.command('draft').description('draft the report for a session as Word (.docx) or Markdown (.md)')
    .requiredOption('--session <n>', 'General Assembly session').requiredOption('--out <file>', 'FILE.docx or FILE.md')
    .option('--since <date>', 'count reports received from this date (default: the day after the previous campaign’s deadline)')
    .action(withEngine(async (context, o: { session: string; out: string; since?: string }) => {
      const drafted = await draftReport(context.engine, { session: session(o.session), dataDir: context.app.config.dataDir, out: o.out, ...(o.since ? { since: o.since } : {}) });
      const { data } = drafted;
      context.out.data({ out: drafted.out, format: drafted.format, reports: data.reports.length, views: data.views.length, late: [...data.reports, ...data.views].filter((i) => i.late).length, period: data.period },
        () => `Drafted ${drafted.out}: ${data.reports.length} reports and ${data.views.length} views (period ${data.period.from} to ${data.period.to}, deadline ${data.deadline})`);
    }));
  const users = program.command('user').description('who may sign in to the dashboard, and with which role');
  users.command('add <name>').description('add a user, or give one a new password (read from standard input, or asked for at a terminal)')
    .addOption(new Option('--role <role>', 'what the user may do').choices(ROLES).makeOptionMandatory())
    .action(withApp(async (context, name: string, o: { role: string }) => {
      const checkedName = checkedUserName(name);
      const password = await readPassword(`Password for ${checkedName}: `);
      const user = await setUser(context.app.config.dataDir, { name: checkedName, role: o.role, password });
      context.out.data({ name: user.name, role: user.role, created: user.created }, () => `${user.created ? 'Added' : 'Password and role set for'} user ${user.name} (${user.role}) in ${usersFile(context.app.config.dataDir)}`);
    }));
  users.command('list').description('the users and their roles')
    .action(withApp(async (context) => {
      const list = await listUsers(context.app.config.dataDir);
      context.out.data(list, () => (list.length ? list.map((u) => `${u.name.padEnd(30)} ${u.role.padEnd(14)} ${u.updatedAt}`).join('\n') : 'No users.'));
    }));
  return program;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

/** Entry point of bin/obligations.js. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message; help and version are not failures.
      const shown = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code);
      if (!shown && argv.includes('--json')) process.stdout.write(`${JSON.stringify({ error: { kind: 'usage', message: err.message } }, null, 2)}\n`);
      process.exitCode = shown ? EXIT_OK : EXIT_BAD_INPUT;
      return;
    }
    throw err;
  }
}
