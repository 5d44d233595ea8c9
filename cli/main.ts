// The program's shape (commands, options, help) needs only commander and a few lists of words; each
// action loads what it runs when it runs, so `case show` never loads the worker, the dashboard, the
// report's Word writer or the bundler, and `--help` loads no Temporal client at all.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { version } from '../package.json';
import type { ScheduleView } from '../clients/campaigns';
import type { CaseViewWithNotes } from '../clients/cases';
import type { Engine } from '../clients/engine';
import type { App } from '../config/app';
import { CASE_STATUSES, REPORT_KINDS } from '../domain/case';
import { TREATY_ACTIONS } from '../domain/instruments';
import { ROLES } from '../domain/roles';
import type { RunOptions } from '../workers/run';
import type { CaseView } from '../workflows/case/view';
import { EXIT_BAD_INPUT, EXIT_OK } from './exit-codes';
import type { Output } from './output';

interface Context {
  app: App;
  engine: Engine;
  out: Output;
  actor: string;
}

const load = {
  cases: () => import('../clients/cases'),
  caseList: () => import('../clients/case-list'),
  campaigns: () => import('../clients/campaigns'),
  format: () => import('./format'),
  errors: () => import('../clients/errors'),
};

/**
 * Run an action that talks to the engine: load and check the configuration, check the input that
 * can be checked alone (`check`, before anything is opened), connect, act, report.
 */
function withEngine<A extends unknown[]>(action: (context: Context, ...args: A) => Promise<void>, check?: (context: Omit<Context, 'engine'>, ...args: A) => Promise<void> | void) {
  return withApp<A>(async (context, ...args) => {
    await check?.(context, ...args);
    const { explainUnreachable, openEngine } = await import('./engine');
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
    const { createOutput, reportError } = await import('./output');
    const out = createOutput(Boolean(globals.json));
    try {
      const { loadAppOnDemand } = await import('../config/app');
      await action({ app: loadAppOnDemand(), out, actor: globals.actor ?? '' }, ...args);
    } catch (err) {
      process.exitCode = reportError(err, out.json);
    }
  };
}

/** A long-running command: it prints its progress to standard error and runs until Ctrl-C. */
function runServer(run: (app: App, options: Omit<RunOptions, 'embedded'>) => Promise<void>) {
  return async (_options: unknown, command: Command) => {
    const { createOutput, reportError } = await import('./output');
    const out = createOutput(Boolean(command.optsWithGlobals<{ json?: boolean }>().json));
    const stopSignal = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    try {
      const { loadApp } = await import('../config/app');
      await run(loadApp(), { say: (line) => void process.stderr.write(`${line}\n`), stopSignal });
    } catch (err) {
      process.exitCode = reportError(err, out.json);
    }
  };
}

async function view(context: Context, value: CaseView | CaseViewWithNotes): Promise<void> {
  const { formatCase } = await load.format();
  context.out.data(value, () => formatCase(value));
}

/** The example a command's help ends with. */
const example = (...lines: string[]) => `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((line) => `  $ obligations ${line}`).join('\n')}`;

const REF = 'LA/COD/2026/017';

export function buildProgram(): Command {
  const program = new Command('obligations')
    .description("The Secretary-General's duties under General Assembly resolution 79/124, as durable workflows")
    .version(version)
    .option('--json', 'machine-readable output')
    .addOption(new Option('--actor <name>', 'who is acting').env('OBLIGATIONS_ACTOR'))
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', example(`case show ${REF}`, 'case list --overdue --json'));

  program.command('dev').description('run the whole system on the embedded Temporal development server (what `npm start` runs)')
    .addHelpText('after', example('dev'))
    .action(runServer(async (app, options) => (await import('../workers/run')).runSystem(app, { ...options, embedded: true })));
  program.command('worker').description('run the worker alone, against TEMPORAL_ADDRESS')
    .addHelpText('after', example('worker   # with TEMPORAL_ADDRESS=temporal.example.org:7233'))
    .action(runServer(async (app, options) => (await import('../workers/run')).runSystem(app, { ...options, embedded: false })));
  program.command('status').description('what the dashboard overview shows: server, worker, cases by status, overdue, failed deliveries, the campaign')
    .addHelpText('after', example('status', 'status --json'))
    .action(withEngine(async (context) => {
      const [{ overview }, { formatStatus }, { temporalAddress }] = await Promise.all([import('../clients/overview'), load.format(), import('../config/app')]);
      const status = await overview(context.engine);
      context.out.data(status, () => formatStatus(status, temporalAddress(context.app.config), context.engine.taskQueue));
    }));
  program.command('dashboard').description('run the web dashboard alone (DASHBOARD_PORT, default 8080), against TEMPORAL_ADDRESS or the embedded server')
    .addHelpText('after', example('dashboard   # with DASHBOARD_PORT=8081'))
    .action(runServer(async (app, options) => (await import('../workers/run')).runDashboard(app, options)));

  const cases = program.command('case').description('reported serious violations (11 (a)) and their follow-up')
    .addHelpText('after', example('case register examples/case.yaml', `case show ${REF}`));
  cases.command('register <file>').description('open a case from a JSON or YAML file')
    .addHelpText('after', example('case register examples/case.yaml'))
    .action(withEngine(async (context, file: string) => {
      const [{ registerCase }, { readDocument }] = await Promise.all([load.cases(), import('../clients/documents')]);
      const registered = await registerCase(context.engine, readDocument(file), context.actor);
      context.out.data(registered, () => `${registered.created ? 'Registered' : 'Already registered (same content)'}: case ${registered.reference} (workflow ${registered.workflowId})`);
    }));
  cases.command('show <reference>').description('a case: status, deadlines, notes, timeline')
    .option('--notes', "each recipient's delivery of every note batch, read from the batches' workflows")
    .addHelpText('after', example(`case show ${REF}`, `case show ${REF} --json`, `case show ${REF} --notes`))
    .action(withEngine(async (context, reference: string, o: { notes?: boolean }) => {
      const cases = await load.cases();
      await view(context, o.notes ? await cases.showCaseWithNotes(context.engine, reference) : await cases.showCase(context.engine, reference));
    }));
  cases.command('list').description('cases, filtered (times at Headquarters)')
    .addOption(new Option('--status <status>', 'the case status').choices(CASE_STATUSES))
    .option('--state <iso3>', 'host State')
    .option('--overdue', 'only cases whose deadline has passed')
    .addHelpText('after', example('case list --overdue', 'case list --status awaiting-report --state COD'))
    .action(withEngine(async (context, options: { status?: string; state?: string; overdue?: boolean }) => {
      const [{ listCases }, { formatCaseRows }] = await Promise.all([load.caseList(), load.format()]);
      const rows = await listCases(context.engine, options);
      context.out.data(rows, () => formatCaseRows(rows, context.app.config.deadlines.zone));
    }));
  cases.command('report <reference>').description('record a report received on a case (11 (a) or 11 (b))')
    .requiredOption('--from <iso3>', 'the reporting State')
    .addOption(new Option('--kind <kind>', 'what the report is').choices(REPORT_KINDS).makeOptionMandatory())
    .requiredOption('--received-on <date>', 'date of receipt (YYYY-MM-DD)')
    .option('--no-circulate', 'the reporting State asked that the report not be circulated')
    .option('--summary <text>', 'a summary of the report')
    .addHelpText('after', example(`case report ${REF} --from COD --kind violation --received-on 2026-03-02 --summary "Report of the host State"`))
    .action(withEngine(async (context, reference: string, o: { from: string; kind: string; receivedOn: string; circulate: boolean; summary?: string }) => {
      const report = { from: o.from, kind: o.kind, receivedOn: o.receivedOn, circulate: o.circulate, ...(o.summary !== undefined ? { summary: o.summary } : {}) };
      await view(context, await (await load.cases()).reportOnCase(context.engine, reference, report, context.actor));
    }));
  cases.command('attention <reference>').description("decide a held 12 (c) attention note")
    .option('--approve', 'send the note').option('--decline', 'do not send it')
    .requiredOption('--reason <text>', 'why')
    .addHelpText('after', example(`case attention ${REF} --approve --reason "The States concerned are correctly identified"`))
    .action(withEngine(async (context, reference: string, o: { approve?: boolean; decline?: boolean; reason: string }) => {
      await view(context, await (await load.cases()).decideAttention(context.engine, reference, { approve: Boolean(o.approve), reason: o.reason, actor: context.actor }));
    }, async (_context, _reference, o) => {
      if (Boolean(o.approve) === Boolean(o.decline)) throw new (await load.errors()).InputError('give exactly one of --approve or --decline');
    }));
  cases.command('close <reference>').description('close a case').requiredOption('--reason <text>', 'why')
    .addHelpText('after', example(`case close ${REF} --reason "Final outcome of the proceedings received"`))
    .action(withEngine(async (context, reference: string, o: { reason: string }) => {
      await view(context, await (await load.cases()).closeCase(context.engine, reference, { reason: o.reason, actor: context.actor }));
    }));

  const deadline = program.command('deadline').description("change a case's open deadline, with a stated reason")
    .addHelpText('after', example(`deadline extend ${REF} --by P30D --reason "The host State asked for more time"`));
  for (const op of ['extend', 'shorten'] as const) {
    const change = (context: Omit<Context, 'engine'>, o: { by?: string; to?: string; reason: string }) => ({ op, ...(o.by !== undefined ? { by: o.by } : {}), ...(o.to !== undefined ? { to: o.to } : {}), reason: o.reason, actor: context.actor });
    deadline.command(`${op} <reference>`).description(`${op} the open deadline by a duration or to a date`)
      .option('--by <duration>', 'ISO 8601 duration, e.g. P30D').option('--to <date>', 'new due date (YYYY-MM-DD, due at its end at Headquarters)')
      .requiredOption('--reason <text>', 'why')
      .addHelpText('after', example(`deadline ${op} ${REF} --by P30D --reason "${op === 'extend' ? 'The host State asked for more time' : 'The session is brought forward'}"`, `deadline ${op} ${REF} --to 2026-09-30 --reason "..."`))
      .action(withEngine(async (context, reference: string, o: { by?: string; to?: string; reason: string }) => {
        await view(context, await (await load.cases()).changeDeadline(context.engine, reference, change(context, o)));
      }, async (context, _reference, o) => void (await load.cases()).checkedDeadlineChange(change(context, o))));
  }
  for (const op of ['pause', 'resume'] as const) {
    deadline.command(`${op} <reference>`).description(op === 'pause' ? 'stop the clock: no reminder goes out' : 'restart the clock with the time that was left')
      .requiredOption('--reason <text>', 'why')
      .addHelpText('after', example(`deadline ${op} ${REF} --reason "${op === 'pause' ? 'Consultations under way' : 'Consultations ended'}"`))
      .action(withEngine(async (context, reference: string, o: { reason: string }) => {
        await view(context, await (await load.cases()).changeDeadline(context.engine, reference, { op, reason: o.reason, actor: context.actor }));
      }));
  }
  const campaign = program.command('campaign').description("each session's circular note (12 (a)) and the views received (13)")
    .addHelpText('after', example('campaign status --session 81'));
  const session = async (text: string) => (await load.campaigns()).parseSession(text);
  campaign.command('start').description("start a session's campaign by hand").requiredOption('--session <n>', 'General Assembly session, e.g. 81')
    .addHelpText('after', example('campaign start --session 81'))
    .action(withEngine(async (context, o: { session: string }) => {
      const started = await (await load.campaigns()).startCampaign(context.engine, await session(o.session), context.actor);
      context.out.data(started, () => `${started.created ? 'Started' : 'Already started'}: campaign of session ${started.session}, replies due ${started.deadline} (workflow ${started.workflowId})`);
    }));
  campaign.command('status').description('deliveries and replies of a session').requiredOption('--session <n>', 'General Assembly session')
    .addHelpText('after', example('campaign status --session 81'))
    .action(withEngine(async (context, o: { session: string }) => {
      const [{ campaignStatus }, { formatCampaign }] = await Promise.all([load.campaigns(), load.format()]);
      const status = await campaignStatus(context.engine, await session(o.session));
      context.out.data(status, () => formatCampaign(status));
    }));
  campaign.command('views').description("record a State's views (13); after the deadline they go to the addendum")
    .requiredOption('--session <n>', 'General Assembly session').requiredOption('--from <iso3>', 'the State')
    .requiredOption('--received-on <date>', 'date of receipt (YYYY-MM-DD)')
    .option('--file <path>', 'a text file with the summary of the views').option('--summary <text>', 'a summary of the views')
    .addHelpText('after', example('campaign views --session 81 --from FRA --received-on 2026-04-10 --file views-fra.txt'))
    .action(withEngine(async (context, o: { session: string; from: string; receivedOn: string; file?: string; summary?: string }) => {
      const [{ recordViews }, { formatCampaign }] = await Promise.all([load.campaigns(), load.format()]);
      const summary = o.file !== undefined ? await readText(o.file) : (o.summary ?? '');
      const status = await recordViews(context.engine, await session(o.session), { state: o.from, receivedOn: o.receivedOn, summary }, context.actor);
      context.out.data(status, () => formatCampaign(status));
    }, async (_context, o) => {
      if ((o.file === undefined) === (o.summary === undefined)) throw new (await load.errors()).InputError('give exactly one of --file F or --summary TEXT');
    }));

  campaign.command('resend').description('send the circular note again to the States whose delivery failed')
    .requiredOption('--session <n>', 'General Assembly session').requiredOption('--reason <text>', 'why, e.g. the address was corrected')
    .addHelpText('after', example('campaign resend --session 81 --reason "Addresses of two missions corrected"'))
    .action(withEngine(async (context, o: { session: string; reason: string }) => {
      const [{ resendFailed }, { formatCampaign }] = await Promise.all([load.campaigns(), load.format()]);
      const status = await resendFailed(context.engine, await session(o.session), o.reason, context.actor);
      context.out.data(status, () => formatCampaign(status));
    }));

  const schedule = program.command('schedule').description("the Schedule that starts each session's campaign")
    .addHelpText('after', example('schedule show'));
  type Campaigns = Awaited<ReturnType<typeof load.campaigns>>;
  const scheduleAction = (act: (campaigns: Campaigns, context: Context, reason: string) => Promise<ScheduleView>) =>
    withEngine(async (context, o: { reason?: string }) => {
      const [campaigns, { formatSchedule }] = await Promise.all([load.campaigns(), load.format()]);
      const shown = await act(campaigns, context, o.reason ?? '');
      context.out.data(shown, () => formatSchedule(shown));
    });
  schedule.command('show').description('calendar, state, next and recent runs')
    .addHelpText('after', example('schedule show'))
    .action(scheduleAction((c, context) => c.showSchedule(context.engine)));
  schedule.command('pause').description('stop starting campaigns').requiredOption('--reason <text>', 'why')
    .addHelpText('after', example('schedule pause --reason "The item is deferred to the next session"'))
    .action(scheduleAction((c, context, reason) => c.pauseSchedule(context.engine, reason, context.actor)));
  schedule.command('resume').description('start campaigns again').requiredOption('--reason <text>', 'why')
    .addHelpText('after', example('schedule resume --reason "The item is back on the agenda"'))
    .action(scheduleAction((c, context, reason) => c.resumeSchedule(context.engine, reason, context.actor)));
  schedule.command('trigger').description("start the current session's campaign now")
    .addHelpText('after', example('schedule trigger'))
    .action(scheduleAction((c, context) => c.triggerSchedule(context.engine)));
  const instruments = program.command('instruments').description('participation in the instruments of paragraph 9')
    .addHelpText('after', example('instruments show'));
  instruments.command('show').description('parties and signatories of each instrument, as at the data’s date')
    .addHelpText('after', example('instruments show'))
    .action(withApp(async (context) => {
      const [{ showInstruments }, { formatInstruments }] = await Promise.all([import('../clients/instruments'), load.format()]);
      const shown = await showInstruments(context.app.config.dataDir, context.app.directory);
      context.out.data(shown, () => formatInstruments(shown));
    }));
  instruments.command('record').description("record a State's action on an instrument")
    .requiredOption('--instrument <id>', 'e.g. vcdr, vccr, ipp, special-missions')
    .requiredOption('--state <iso3>', 'the State')
    .addOption(new Option('--action <action>', 'what it did').choices(TREATY_ACTIONS).makeOptionMandatory())
    .requiredOption('--date <date>', 'date of the action (YYYY-MM-DD)')
    .addHelpText('after', example('instruments record --instrument ipp --state KIR --action accession --date 2026-02-11'))
    .action(withApp(async (context, o: { instrument: string; state: string; action: string; date: string }) => {
      const [{ recordInstrumentAction }, { DateTime }] = await Promise.all([import('../clients/instruments'), import('luxon')]);
      const today = DateTime.now().setZone(context.app.config.deadlines.zone).toISODate() ?? '';
      const recorded = await recordInstrumentAction(context.app.config.dataDir, context.app.directory, { instrument: o.instrument, state: o.state, action: o.action, date: o.date }, today);
      context.out.data({ path: recorded.path, backup: recorded.backup, recorded: recorded.recorded, asAt: recorded.status.asAt },
        () => `Recorded: ${o.state} ${o.action} of ${o.instrument} on ${o.date} (in ${recorded.path}; previous file kept as ${recorded.backup})`);
    }));

  const report = program.command('ga-report').description('the report of the Secretary-General under paragraph 14')
    .addHelpText('after', example('ga-report draft --session 81 --out report-81.docx'));
  report.command('draft').description('draft the report for a session, or its addendum, as Word (.docx) or Markdown (.md)')
    .requiredOption('--session <n>', 'General Assembly session').requiredOption('--out <file>', 'FILE.docx or FILE.md')
    .option('--since <date>', 'count reports received from this date (default: the day after the previous campaign’s deadline)')
    .option('--addendum', 'draft the addendum (A/N/…/Add.1): the reports and views received after the deadline')
    .option('--observations <file>', 'the Secretary-General’s observations (paragraph 15), a text file, paragraphs separated by blank lines')
    .addHelpText('after', example('ga-report draft --session 81 --out report-81.docx', 'ga-report draft --session 81 --addendum --out report-81-add1.docx'))
    .action(withEngine(async (context, o: { session: string; out: string; since?: string; addendum?: boolean; observations?: string }) => {
      const [{ draftReport, readObservations }, { DateTime }] = await Promise.all([import('../clients/report/draft'), import('luxon')]);
      const drafted = await draftReport(context.engine, {
        session: await session(o.session), dataDir: context.app.config.dataDir, out: o.out, resolution: context.app.resolution,
        issuedOn: DateTime.now().setZone(context.app.config.deadlines.zone).toISODate() ?? '', document: o.addendum ? 'addendum' : 'report',
        ...(o.since ? { since: o.since } : {}), ...(o.observations ? { observations: readObservations(o.observations) } : {}),
      });
      const { data } = drafted;
      context.out.data({ out: drafted.out, format: drafted.format, document: drafted.document, reports: data.reports.length, views: data.views.length, late: [...data.reports, ...data.views].filter((i) => i.late).length, period: data.period },
        () => `Drafted ${drafted.document === 'addendum' ? 'the addendum ' : ''}${drafted.out}: ${data.reports.length} reports and ${data.views.length} views (period ${data.period.from} to ${data.period.to}, deadline ${data.deadline})`);
    }, async (_context, o: { observations?: string }) => {
      // A bad observations file is refused before anything is dialled.
      if (o.observations) (await import('../clients/report/draft')).readObservations(o.observations);
    }));
  const policy = program.command('policy').description("move open cases onto the configured deadline policy and calendar, previewed first, with a stated reason")
    .addHelpText('after', example('policy preview', 'policy apply --reason "Reminder interval shortened to 14 days"'));
  const policyOf = async (context: Context, file?: string) => (await import('../clients/policy')).targetPolicy(context.engine, file);
  const caseList = (value: string, previous: string[] = []) => [...previous, value];
  policy.command('preview').description("each open case's deadlines and next reminder as they are and as they would be, changing nothing")
    .option('--config <file>', "compare with this configuration file's policy instead of the running worker's")
    .option('--case <reference>', 'only this case (repeatable)', caseList)
    .option('--include-manual', 'recompute due dates a legal officer set by hand too')
    .addHelpText('after', example('policy preview', 'policy preview --config next-cycle.yaml --json'))
    .action(withEngine(async (context, o: { config?: string; case?: string[]; includeManual?: boolean }) => {
      const [{ previewPolicy }, { formatPolicyEffects }] = await Promise.all([import('../clients/policy'), load.format()]);
      const shown = await previewPolicy(context.engine, await policyOf(context, o.config), { ...(o.case ? { references: o.case } : {}), includeManual: Boolean(o.includeManual) });
      context.out.data(shown, () => formatPolicyEffects(shown.cases, context.app.config.deadlines.zone, false));
    }));
  policy.command('apply').description('move open cases onto the policy: each records who, why, both policies and the dates moved')
    .option('--config <file>', "this configuration file's policy instead of the running worker's")
    .requiredOption('--reason <text>', 'why')
    .option('--case <reference>', 'only this case (repeatable)', caseList)
    .option('--include-manual', 'recompute due dates a legal officer set by hand too')
    .addHelpText('after', example('policy apply --reason "Christmas Eve 2027 declared an official holiday"', `policy apply --config next-cycle.yaml --case ${REF} --reason "..."`))
    .action(withEngine(async (context, o: { config?: string; reason: string; case?: string[]; includeManual?: boolean }) => {
      const [{ applyPolicy }, { formatPolicyEffects }] = await Promise.all([import('../clients/policy'), load.format()]);
      const applied = await applyPolicy(context.engine, await policyOf(context, o.config), { actor: context.actor, reason: o.reason, ...(o.case ? { references: o.case } : {}), includeManual: Boolean(o.includeManual) });
      context.out.data(applied, () => formatPolicyEffects(applied.cases, context.app.config.deadlines.zone, true));
      // A case that refused is the user's to look at, as a refused request is.
      if (applied.cases.some((c) => c.outcome === 'refused')) process.exitCode = EXIT_BAD_INPUT;
    }, async (context, o) => {
      const { checkedAccountable } = await import('../clients/accountability');
      checkedAccountable({ actor: context.actor, reason: o.reason });
      if (o.config !== undefined) (await import('../clients/policy')).policyOfFile(o.config);
    }));
  program.command('rehearse').description('what a policy would send and when: the real workflows over synthetic cases on a time-skipping server of its own, nothing sent, nothing stored')
    .option('--config <file>', "rehearse this configuration file's policy instead of the running one")
    .option('--cases <n>', 'synthetic cases registered over the period (1 to 5000, default 20)')
    .option('--years <n>', 'length of the simulated period from today (1 to 10, default 2)')
    .option('--seed <n>', 'draws the synthetic population: the same seed, the same cases (default 1)')
    .option('--csv <file>', 'where the notes go as CSV (default rehearsal.csv in the current folder)')
    .addHelpText('after', example('rehearse --config next-cycle.yaml --cases 500 --years 2', 'rehearse --cases 5 --years 1 --csv /tmp/notes.csv --json'))
    .action(withApp(async (context, o: { config?: string; cases?: string; years?: string; seed?: string; csv?: string }) => {
      await (await import('./rehearse')).runRehearse(context.app, context.out, o);
    }));
  const users = program.command('user').description('who may sign in to the dashboard, and with which role')
    .addHelpText('after', example('user list'));
  users.command('add <name>').description('add a user, or give one a new password (read from standard input, or asked for at a terminal)')
    .addOption(new Option('--role <role>', 'what the user may do').choices(ROLES).makeOptionMandatory())
    .addHelpText('after', example('user add amina.diallo --role legal-officer', `printf '%s' "$PASSWORD" | obligations user add amina.diallo --role legal-officer`))
    .action(withApp(async (context, name: string, o: { role: string }) => {
      const [{ checkedUserName, setUser, usersFile }, { readPassword }] = await Promise.all([import('../clients/users'), import('./password')]);
      const checkedName = checkedUserName(name);
      const password = await readPassword(`Password for ${checkedName}: `);
      const user = await setUser(context.app.config.dataDir, { name: checkedName, role: o.role, password });
      context.out.data({ name: user.name, role: user.role, created: user.created }, () => `${user.created ? 'Added' : 'Password and role set for'} user ${user.name} (${user.role}) in ${usersFile(context.app.config.dataDir)}`);
    }));
  users.command('list').description('the users and their roles')
    .addHelpText('after', example('user list'))
    .action(withApp(async (context) => {
      const list = await (await import('../clients/users')).listUsers(context.app.config.dataDir);
      context.out.data(list, () => (list.length ? list.map((u) => `${u.name.padEnd(30)} ${u.role.padEnd(14)} ${u.updatedAt}`).join('\n') : 'No users.'));
    }));
  const keys = program.command('key').description('the keys that encrypt everything the engine stores in Temporal (AES-256-GCM)');
  keys.command('add').description('add a new key to the key file (made, mode 0600, if absent): new payloads use it, older ones stay readable')
    .addHelpText('after', example('key add', 'OBLIGATIONS_PAYLOAD_KEY_FILE=/etc/obligations/payload-keys obligations key add'))
    .action(withApp(async (context) => {
      const { addPayloadKey, keyFileOf } = await import('../config/payload-keys');
      if (context.app.config.payloadKeys) throw new (await load.errors()).InputError('OBLIGATIONS_PAYLOAD_KEYS is set: keys given in the environment are added there, not to a file');
      const file = keyFileOf(context.app.config);
      const key = addPayloadKey(file);
      context.out.data({ id: key.id, file }, () => `Added payload key ${key.id} to ${file}: new payloads use it, older ones stay readable.\nBack the file up, and give the same file to every worker, dashboard and command of this installation.`);
    }));
  keys.command('list').description('the configured keys by id, oldest first: the last encrypts new payloads')
    .addHelpText('after', example('key list'))
    .action(withApp(async (context) => {
      const { keyFileOf, loadPayloadKeys } = await import('../config/payload-keys');
      const { config } = context.app;
      const source = config.payloadKeys ? 'OBLIGATIONS_PAYLOAD_KEYS' : keyFileOf(config);
      const list = loadPayloadKeys(config).map((key, index, all) => ({ id: key.id, newest: index === all.length - 1 }));
      context.out.data({ source, keys: list }, () => [`Payload keys from ${source}:`, ...list.map((key) => `  ${key.id}${key.newest ? '  (encrypts new payloads)' : ''}`)].join('\n'));
    }));
  return program;
}

async function readText(path: string): Promise<string> {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new (await load.errors()).InputError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
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
