import { DateTime } from 'luxon';
import { type ScheduleView } from '../clients/campaigns';
import { type CaseRow, type CaseViewWithNotes, type NoteBatchDetail } from '../clients/cases';
import { type Overview } from '../clients/overview';
import { type CasePolicyEffect } from '../clients/policy';
import { type InstrumentsShown } from '../clients/instruments';
import { type CampaignView } from '../workflows/campaign/view';
import { type CaseView, type NoteBatchSummary } from '../workflows/case/view';

/** Human-readable renderings; --json prints the same data as it is, in UTC. */

/** An instant as a person at Headquarters reads it. */
export function local(at: string, zone: string): string {
  return DateTime.fromISO(at, { zone }).toFormat('yyyy-MM-dd HH:mm ZZZZ');
}

export function formatCase(view: CaseView | CaseViewWithNotes): string {
  const zone = view.policy.deadlines.zone;
  const lines = [
    `Case ${view.reference}: ${view.status}`,
    `  host State ${view.hostState}, reported by ${view.reportedBy} (received ${view.registration.receivedOn})`,
    `  attention (12 (c)): ${view.attention.status}${view.attention.states.length ? ` to ${view.attention.states.join(', ')}` : ''}`,
  ];
  if (view.nextStep) lines.push(`  next: ${view.nextStep.action} at ${local(view.nextStep.at, zone)}`);
  lines.push('Deadlines:');
  for (const d of view.deadlines) {
    lines.push(`  ${d.kind.padEnd(12)} owed by ${d.owedBy}  due ${local(d.dueAt, zone)}  ${d.status}${d.remindersSent ? `  (${d.remindersSent} reminder${d.remindersSent > 1 ? 's' : ''})` : ''}`);
  }
  lines.push('Notes:');
  for (const batch of view.notes as (NoteBatchSummary & Partial<NoteBatchDetail>)[]) {
    const to = batch.recipients === 1 ? ` to ${batch.deliveries?.[0]?.to ?? batch.failures[0]?.to[0] ?? '1 State'}` : ` to ${batch.recipients} States`;
    lines.push(`  ${batch.kind.padEnd(12)}${to}: ${batch.sent} sent, ${batch.pending} pending, ${batch.failed} failed  [${batch.batch}]`);
    if (batch.error) lines.push(`    the batch could not run: ${batch.error}`);
    if (batch.deliveries) {
      for (const d of batch.deliveries) lines.push(`    ${d.to}  ${(d.language ?? '').padEnd(2)}  ${d.status.padEnd(7)} ${d.messageId}${d.error ? `  ${d.error}` : ''}`);
      if (batch.unavailable) lines.push(`    (${batch.unavailable})`);
    } else {
      for (const f of batch.failures) lines.push(`    failed to ${f.to.join(', ')}: ${f.error}`);
    }
  }
  lines.push('Timeline:');
  for (const e of view.timeline) lines.push(`  ${local(e.at, zone)}  ${e.actor.padEnd(16)} ${e.action}${e.reason ? ` — ${e.reason}` : ''}`);
  return lines.join('\n');
}

/** The cases as a table, each next due date at Headquarters (`zone`), as `case show` gives it. */
export function formatCaseRows(rows: CaseRow[], zone: string): string {
  if (rows.length === 0) return 'No cases match.';
  const header = ['REFERENCE', 'STATUS', 'HOST', 'NEXT DUE', 'REMINDERS'];
  const table = rows.map((r) => [r.reference, r.status, r.hostState, r.nextDue ? local(r.nextDue, zone) : '-', String(r.remindersSent)]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
  return [header, ...table].map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

export function formatCampaign(view: CampaignView): string {
  const c = view.counts;
  const lines = [
    `Campaign of session ${view.session} (${view.reference}): ${view.open ? 'open' : 'closed'}`,
    `  started ${view.startedOn}; replies due ${view.deadline}${view.reminderOn ? `; reminder ${view.reminderOn}` : ''}; closes ${view.closesOn}`,
    `  ${c.states} States: ${c.sent} sent, ${c.pending} pending, ${c.failed} failed; ${c.replied} replied, ${c.late} late (addendum), ${c.awaiting} awaited`,
  ];
  const failed = view.states.filter((s) => s.delivery === 'failed');
  if (failed.length) lines.push('Failed deliveries:', ...failed.map((s) => `  ${s.state}  ${s.error ?? ''}`));
  const replied = view.states.filter((s) => s.reply !== 'none');
  if (replied.length) lines.push('Replies:', ...replied.flatMap((s) => s.replies.map((r) => `  ${s.state}  received ${r.receivedOn}${r.late ? ' (late)' : ''}  ${r.summary.slice(0, 60)}`)));
  return lines.join('\n');
}

export function formatSchedule(view: ScheduleView): string {
  return [
    `Schedule ${view.scheduleId}: ${view.paused ? 'paused' : 'active'}${view.note ? ` (${view.note})` : ''}`,
    `  each ${view.calendar} ${view.timezone ?? ''}`,
    `  next: ${view.nextRuns.slice(0, 2).join(', ') || '-'}`,
    `  recent: ${view.recentRuns.map((r) => `${r.scheduledAt} ${r.workflowId}`).join(', ') || '-'}`,
  ].join('\n');
}

export function formatInstruments(shown: InstrumentsShown): string {
  const lines = [`Participation in the instruments of paragraph 9, as at ${shown.asAt} (${shown.workingCopy ? 'working copy' : 'shipped baseline'}: ${shown.source})`];
  for (const i of shown.instruments) {
    lines.push(`  ${i.id.padEnd(30)} ${String(i.parties).padStart(4)} parties  ${String(i.signatories).padStart(3)} signatories (${i.signatoriesOnly} not bound)${i.asAt ? `  complete to ${i.asAt} only` : ''}`);
    if (i.gaps) lines.push(`      gaps: ${i.gaps}`);
  }
  return lines.join('\n');
}

/** `obligations status`: what the dashboard's overview shows, for a terminal. */
export function formatStatus(status: Overview, address: string, taskQueue: string): string {
  const { workers } = status;
  const count = (label: string, n: number) => `  ${label.padEnd(36)} ${n}`;
  const lines = [
    `Temporal     ${address}: reachable`,
    `Worker       ${workers.polling ? `polling task queue "${taskQueue}" (${workers.workflowPollers} for workflow tasks, ${workers.activityPollers} for activities)` : `NONE polling task queue "${taskQueue}": nothing is sent, no request is answered`}`,
    `             ${workers.batchesRunning} note batches running${workers.retrying.length ? `, ${workers.retrying.length} retrying: ${workers.retrying.map((r) => `${r.workflowId} (attempt ${r.attempt}: ${r.failure})`).join('; ')}` : ''}`,
    `Cases        ${status.cases.total}: ${Object.entries(status.cases.byStatus).map(([name, n]) => `${n} ${name}`).join(', ')}`,
    count('overdue deadlines', status.overdue.count),
    count(`due in the next ${status.dueSoon.days} days`, status.dueSoon.count),
    count('with failed deliveries', status.failedNotes.count),
    count('attention notes awaiting a decision', status.attentionPending.count),
    count('reminders sent', status.reminders.sent),
    `  States flagged unresponsive          ${status.unresponsive.states.join(', ') || '-'}${status.unresponsive.statesComplete ? '' : ' (and more)'}`,
  ];
  const campaign = status.campaign;
  if (!campaign) lines.push('Campaign     none yet');
  else if (!campaign.counts) lines.push(`Campaign     session ${campaign.session} (${campaign.open ? 'open' : 'closed'}): ${campaign.unavailable ?? ''}`);
  else {
    const c = campaign.counts;
    lines.push(`Campaign     session ${campaign.session} (${campaign.open ? 'open' : 'closed'}), replies due ${campaign.deadline ?? '-'}: ${c.sent} sent, ${c.pending} pending, ${c.failed} failed; ${c.replied} replied, ${c.late} late, ${c.awaiting} awaited`);
  }
  return lines.join('\n');
}

/** `policy preview` and `policy apply`: what differs, then each case whose dates move, as at Headquarters. */
export function formatPolicyEffects(cases: (Omit<CasePolicyEffect, 'status'> & { error?: { message: string } })[], zone: string, applied: boolean): string {
  const at = (instant?: string) => (instant ? local(instant, zone) : 'none');
  const lines: string[] = [];
  const differing = cases.find((c) => !c.unchanged);
  if (differing) {
    const d = differing.differences;
    lines.push('Policy changes (as for the first case concerned):');
    for (const s of d.settings) lines.push(`  ${s.setting}: ${s.from} -> ${s.to}`);
    if (d.holidaysAdded.length) lines.push(`  holidays added: ${d.holidaysAdded.join(', ')}`);
    if (d.holidaysRemoved.length) lines.push(`  holidays removed: ${d.holidaysRemoved.join(', ')}`);
  }
  for (const c of cases) {
    if (c.error) lines.push(`${c.reference}: refused: ${c.error.message}`);
    for (const m of c.changes) {
      lines.push(`${c.reference}  ${m.kind}  due ${at(m.dueAt)} -> ${at(m.newDueAt)}  next reminder ${at(m.nextAt)} -> ${at(m.newNextAt)}`);
    }
  }
  const moved = cases.filter((c) => c.changes.length > 0).length;
  const unchanged = cases.filter((c) => c.unchanged).length;
  const refused = cases.filter((c) => c.error).length;
  const verb = applied ? 'moved onto the policy' : 'would move onto the policy';
  lines.push(`${cases.length} open case${cases.length === 1 ? '' : 's'}: ${cases.length - unchanged - refused} ${verb} (${moved} with dates that ${applied ? 'moved' : 'would move'}), ${unchanged} already under it${refused ? `, ${refused} refused` : ''}.`);
  return lines.join('\n');
}
