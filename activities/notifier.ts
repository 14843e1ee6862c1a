import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { approverTexts, LOCALES, type Locale } from '../domain/approver-texts';
import { Failure } from '../domain/failures';
import { rosterIdSchema } from '../domain/roster-id';
import { workflowUrl } from '../domain/workflow-url';
import type { DataStore } from './data-store';

/** A reminder that an approval waits past its SLA: campaign, round, deadline and roster ids, nothing else. */
export interface Reminder {
  campaignId: string;
  round: number;
  deadline: string;
  /** Who may decide now, backups included. */
  approvers: string[];
  /** Backups who joined the plan with this reminder. */
  joined: string[];
  /** The campaign in the Temporal UI. */
  url: string;
}

/**
 * A notice: a campaign waits for these people's decision (its gate opened), or it ended, for its requester. Campaign,
 * round, deadline, roster ids and the link only: no copy, no reason text, nothing a person wrote.
 */
export interface Notice {
  kind: NoticeKind;
  campaignId: string;
  to: string[];
  locale?: Locale;
  /** While a decision is awaited: the round and when it must be made. */
  round?: number;
  deadline?: string;
  url: string;
}

/** What a notice is about. */
export const NOTICE_KINDS = ['awaiting-decision', 'published', 'rejected'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Where reminders and notices go: a file by default, a chat webhook (Slack, Teams, ...) when configured. */
export interface Notifier {
  readonly kind: string;
  send(message: Reminder | Notice): Promise<void>;
}

/** Appends each reminder as a JSON line to `file`. */
export function fileNotifier(file: string): Notifier {
  return {
    kind: `file ${file}`,
    async send(message) {
      mkdirSync(dirname(file), { recursive: true });
      appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...message })}\n`);
    },
  };
}

/**
 * Posts each reminder to `url` as JSON (with a `text` line chat tools show). A failed or refused post throws, so the
 * activity's retry policy tries again; a 4xx other than 429 will not get better and is not retried.
 */
export function webhookNotifier(url: string, token?: string): Notifier {
  return {
    kind: `webhook ${new URL(url).origin}`,
    async send(message) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ text: chatLine(message), ...message }),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.ok) return;
      const permanent = response.status >= 400 && response.status < 500 && response.status !== 429;
      throw ApplicationFailure.create({
        message: `the notification webhook answered ${response.status}`,
        type: Failure.NotificationFailed,
        nonRetryable: permanent,
      });
    },
  };
}

/** The line a chat tool shows for `message`. */
function chatLine(message: Reminder | Notice): string {
  if (!('kind' in message)) {
    return (
      `Campaign ${message.campaignId} waits for approval (round ${message.round}) past its SLA; deadline ` +
      `${message.deadline}. May decide: ${message.approvers.join(', ')}.` +
      (message.joined.length ? ` Backups joined: ${message.joined.join(', ')}.` : '') +
      ` ${message.url}`
    );
  }
  const to = message.to.join(', ');
  const { notice } = approverTexts(message.locale);
  const { campaignId: id, url } = message;
  switch (message.kind) {
    case 'awaiting-decision':
      return notice.awaiting(id, message.round ?? 0, message.deadline ?? '', to, url);
    case 'published':
      return notice.published(id, to, url);
    case 'rejected':
      return notice.rejected(id, to, url);
    default:
      return message.kind satisfies never;
  }
}

/** What the workflow hands the notifier for a notice; the campaign id and the link come from the activity's own info. */
export interface NoticeInput {
  kind: NoticeKind;
  to: string[];
  /** The brand's language for the chat line (the plan's); English when absent or unknown. */
  locale?: string;
  round?: number;
  deadline?: string;
}

/** What the workflow hands the notifier; the campaign id comes from the activity's own info. */
export interface NotifyInput {
  round: number;
  deadline: string;
  approvers: string[];
  joined: string[];
}

/** The notifier activity: checks that it sends only roster ids of the campaign's brand, then sends. */
export function createNotifierActivity({
  notifier,
  data,
  uiUrl,
}: {
  notifier: Notifier;
  data: DataStore;
  uiUrl: string;
}) {
  /** Refuses anything but roster ids: a workflow could hand anything here, and only they may leave the deployment. */
  const rosterOnly = (ids: readonly unknown[], what: string) => {
    const people = new Set(data.roster().people.map((p) => p.id));
    for (const id of ids) {
      if (typeof id !== 'string' || !rosterIdSchema.safeParse(id).success || !people.has(id)) {
        throw ApplicationFailure.nonRetryable(`${what} may name only people from the roster`, Failure.InvalidBrief);
      }
    }
  };
  const campaign = () => {
    const { workflowExecution, workflowNamespace } = Context.current().info;
    const campaignId = workflowExecution?.workflowId ?? 'unknown';
    return { campaignId, url: workflowUrl(uiUrl, workflowNamespace ?? 'default', campaignId) };
  };
  const isoTime = (value: unknown) => new Date(Date.parse(String(value)) || 0).toISOString();
  return {
    async notifyApprovers(input: NotifyInput): Promise<{ sent: string }> {
      rosterOnly([...input.approvers, ...input.joined], 'a reminder');
      const { campaignId, url } = campaign();
      await notifier.send({
        campaignId,
        round: Math.trunc(Number(input.round)) || 0,
        deadline: isoTime(input.deadline),
        approvers: input.approvers,
        joined: input.joined,
        url,
      });
      return { sent: notifier.kind };
    },

    /** Tells people a campaign waits for their decision, or its requester how it ended. */
    async notifyPeople(input: NoticeInput): Promise<{ sent: string }> {
      if (!NOTICE_KINDS.includes(input.kind)) {
        throw ApplicationFailure.nonRetryable(`a notice is one of ${NOTICE_KINDS.join(', ')}`, Failure.InvalidBrief);
      }
      if (!Array.isArray(input.to) || input.to.length === 0 || input.to.length > 50) {
        throw ApplicationFailure.nonRetryable('a notice goes to 1 to 50 people', Failure.InvalidBrief);
      }
      rosterOnly(input.to, 'a notice');
      const awaiting = input.kind === 'awaiting-decision';
      const locale = LOCALES.find((l) => l === input.locale);
      await notifier.send({
        kind: input.kind,
        ...campaign(),
        to: [...new Set(input.to)],
        ...(locale ? { locale } : {}),
        ...(awaiting ? { round: Math.trunc(Number(input.round)) || 0, deadline: isoTime(input.deadline) } : {}),
      });
      return { sent: notifier.kind };
    },
  };
}
