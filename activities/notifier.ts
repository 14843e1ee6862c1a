import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
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

/** Where reminders go: a file by default, a chat webhook (Slack, Teams, ...) when configured. */
export interface Notifier {
  readonly kind: string;
  send(reminder: Reminder): Promise<void>;
}

/** Appends each reminder as a JSON line to `file`. */
export function fileNotifier(file: string): Notifier {
  return {
    kind: `file ${file}`,
    async send(reminder) {
      mkdirSync(dirname(file), { recursive: true });
      appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...reminder })}\n`);
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
    async send(reminder) {
      const text =
        `Campaign ${reminder.campaignId} waits for approval (round ${reminder.round}) past its SLA; deadline ` +
        `${reminder.deadline}. May decide: ${reminder.approvers.join(', ')}.` +
        (reminder.joined.length ? ` Backups joined: ${reminder.joined.join(', ')}.` : '') +
        ` ${reminder.url}`;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ text, ...reminder }),
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
  return {
    async notifyApprovers(input: NotifyInput): Promise<{ sent: string }> {
      const { workflowExecution } = Context.current().info;
      const campaignId = workflowExecution?.workflowId ?? 'unknown';
      const people = new Set(data.roster().people.map((p) => p.id));
      // A workflow could hand anything here; only roster ids may leave the deployment.
      for (const id of [...input.approvers, ...input.joined]) {
        if (!rosterIdSchema.safeParse(id).success || !people.has(id)) {
          throw ApplicationFailure.nonRetryable(
            'a reminder may name only people from the roster',
            Failure.InvalidBrief,
          );
        }
      }
      const url = workflowUrl(uiUrl, Context.current().info.workflowNamespace ?? 'default', campaignId);
      await notifier.send({
        campaignId,
        round: Math.trunc(Number(input.round)) || 0,
        deadline: String(new Date(Date.parse(input.deadline) || 0).toISOString()),
        approvers: input.approvers,
        joined: input.joined,
        url,
      });
      return { sent: notifier.kind };
    },
  };
}
