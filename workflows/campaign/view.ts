import { type CampaignPlan } from '../../domain/campaign';
import { type Language } from '../../domain/languages';
import { type DeliveryStatus } from '../../domain/notes';
import { type Iso3 } from '../../domain/states';

export interface Reply {
  receivedOn: string;
  summary: string;
  actor: string;
  recordedAt: string;
  /** Received after the deadline: it goes to the addendum. */
  late: boolean;
}

export interface CampaignRecipient {
  state: Iso3;
  language: Language;
  delivery: DeliveryStatus;
  messageId: string;
  error?: string;
  replies: Reply[];
  /** Whether a reminder before the deadline was sent to it. */
  reminded: boolean;
  /** How many times the circular note was sent again after a failed delivery. */
  resent?: number;
}

export interface CampaignEvent {
  at: string;
  actor: string;
  action: 'started' | 'circular-delivered' | 'circular-resent' | 'reminders-delivered' | 'views-recorded' | 'closed';
  detail?: string;
}

/** Everything the campaign holds: plain JSON. */
export interface CampaignState {
  plan: CampaignPlan;
  recipients: CampaignRecipient[];
  events: CampaignEvent[];
  /** Batches of the circular note sent again to failed States. */
  resends?: number;
  /** Why the first sending could not even look up the States: a resend then goes to every State. */
  lookUpFailed?: string;
}

export type ReplyStatus = 'none' | 'received' | 'late';

/** What `campaign status` prints: the plan, and where the campaign stands. */
export interface CampaignView extends CampaignPlan {
  open: boolean;
  counts: { states: number; pending: number; sent: number; failed: number; replied: number; late: number; awaiting: number };
  states: { state: Iso3; language: Language; delivery: DeliveryStatus; messageId: string; error?: string; resent?: number; reply: ReplyStatus; replies: Reply[] }[];
  timeline: CampaignEvent[];
}

export function replyStatus(recipient: CampaignRecipient): ReplyStatus {
  if (recipient.replies.length === 0) return 'none';
  return recipient.replies.some((reply) => !reply.late) ? 'received' : 'late';
}

export function campaignView(state: CampaignState, open: boolean): CampaignView {
  const states = state.recipients.map((r) => ({
    state: r.state, language: r.language, delivery: r.delivery, messageId: r.messageId, ...(r.error ? { error: r.error } : {}), ...(r.resent ? { resent: r.resent } : {}),
    reply: replyStatus(r), replies: r.replies,
  }));
  const count = (test: (s: (typeof states)[number]) => boolean) => states.filter(test).length;
  return {
    ...state.plan,
    open,
    counts: {
      states: states.length,
      pending: count((s) => s.delivery === 'pending'),
      sent: count((s) => s.delivery === 'sent'),
      failed: count((s) => s.delivery === 'failed'),
      replied: count((s) => s.reply === 'received'),
      late: count((s) => s.reply === 'late'),
      awaiting: count((s) => s.delivery === 'sent' && s.reply === 'none'),
    },
    states,
    timeline: state.events,
  };
}
