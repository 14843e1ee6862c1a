import { type Client, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Decision, DecisionReceipt } from '../domain/decision';
import { DSSE } from '../domain/decision-envelope';
import { DECISION_FRESH_MS, signDecision } from '../domain/signatures';
import { loadSecretKey } from '../keys/signing-keys';
import { decideUpdate, decisionEnvelopesQuery } from '../workflows/messages';
import { ClientError } from './errors';
import { workflowPollers } from './pollers';

/** How long a client waits for the workflow to answer a decision by default. */
export const DECIDE_TIMEOUT_MS = 30_000;

/** A decision as a person states it, before it is dated and signed. */
export type DecisionDraft = Decision extends infer D
  ? D extends Decision
    ? Omit<D, 'decidedAt' | 'signature'>
    : never
  : never;

/**
 * Dates the decision and signs it with the approver's key from `keyDir` when they have one; refuses when the plan
 * requires signatures and there is no key.
 */
export function sealDecision(
  campaignId: string,
  draft: DecisionDraft,
  options: { keyDir: string; signaturesRequired: boolean; now?: Date; envelope?: typeof DSSE | undefined },
): Decision {
  const dated = { ...draft, decidedAt: (options.now ?? new Date()).toISOString() } as Decision;
  const secret = loadSecretKey(options.keyDir, draft.approver);
  if (secret) return signDecision(campaignId, dated, secret, options.envelope ? { envelope: options.envelope } : {});
  if (options.signaturesRequired) {
    throw new ClientError(
      'key',
      `${draft.approver} has no signing key in ${options.keyDir} and this campaign requires signed decisions: ` +
        `create one with \`npx campaign keys new --as ${draft.approver}\` (its public key must be in the roster)`,
    );
  }
  return dated;
}

/**
 * What a decision on `campaignId` must be signed for, from its memo: the run and the hash of its plan as made
 * (campaigns with receipts; empty for earlier ones, whose decisions name neither).
 */
export async function decisionBinding(
  client: Client,
  campaignId: string,
): Promise<{ runId?: string; planHash?: string }> {
  return bindingOf(await client.workflow.getHandle(campaignId).describe());
}

/**
 * The envelope decisions on `campaignId` are signed in: `dsse` when the campaign's build says it verifies those
 * (`decisionEnvelopesQuery`); undefined for a build from before, which has no such query, or when no worker answers
 * within `timeoutMs`. Either way the decision verifies: every build verifies the original format.
 */
export async function decisionEnvelope(
  client: Client,
  campaignId: string,
  timeoutMs = 5_000,
): Promise<typeof DSSE | undefined> {
  try {
    const envelopes = await client.connection.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.getHandle(campaignId).query(decisionEnvelopesQuery),
    );
    return envelopes.includes(DSSE) ? DSSE : undefined;
  } catch {
    return undefined;
  }
}

/** The run and plan hash a description's memo shows (see {@link decisionBinding}). */
export function bindingOf(description: { memo?: Record<string, unknown> }): { runId?: string; planHash?: string } {
  const memo = (description.memo ?? {}) as { runId?: string; planHash?: string };
  return memo.planHash && memo.runId ? { runId: memo.runId, planHash: memo.planHash } : {};
}

/**
 * Sends a decision only when a worker polls the campaign's task queue, and waits at most `timeoutMs` for the answer:
 * what the caller hears is what happened. A decision not answered in time cannot take effect later than
 * {@link DECISION_FRESH_MS} after it was made, because the gate refuses stale decisions.
 */
export async function sendDecision(
  client: Client,
  campaignId: string,
  taskQueue: string,
  decision: Decision,
  timeoutMs = DECIDE_TIMEOUT_MS,
): Promise<DecisionReceipt> {
  await requirePollers(client, taskQueue);
  const handle = client.workflow.getHandle(campaignId);
  return answeredInTime(campaignId, decision.decidedAt, timeoutMs, () =>
    whileTaskRetries(() => handle.executeUpdate(decideUpdate, { args: [decision] }), Date.now() + timeoutMs),
  );
}

/**
 * Sends an Update again while the server refuses it because the workflow's last task failed: a task fails for a moment
 * when new events (a Signal, an activity's result) arrive as the worker completes it, and the server then takes no
 * Update until the next one completes. Gives up at `deadline` with the server's refusal.
 */
export async function whileTaskRetries<T>(send: () => Promise<T>, deadline: number): Promise<T> {
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    try {
      return await send();
    } catch (err) {
      const cause = (err as { cause?: { code?: number; details?: string } }).cause;
      const taskFailed = cause?.code === 9 && /Workflow Task in failed state/.test(cause.details ?? '');
      if (!taskFailed || Date.now() + wait > deadline) throw err;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** Refuses to send when no worker polls `taskQueue`, since nothing would answer. */
export async function requirePollers(client: Client, taskQueue: string): Promise<void> {
  if ((await workflowPollers(client, taskQueue)).length === 0) {
    throw new ClientError(
      'not-sent',
      `no worker is polling task queue '${taskQueue}', so nothing would answer; the decision was not sent. ` +
        'Start one (`npx campaign worker`, or `npm start`) and decide again',
    );
  }
}

/**
 * Sends a decision made at `decidedAt` through `send` and waits at most `timeoutMs` for the workflow's answer; a
 * refusal comes back as the gate's own message.
 */
export async function answeredInTime<T>(
  campaignId: string,
  decidedAt: string | undefined,
  timeoutMs: number,
  send: () => Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, fail) => {
    timer = setTimeout(() => {
      const expires = new Date(Date.parse(decidedAt ?? '') + DECISION_FRESH_MS).toISOString();
      fail(
        new ClientError(
          'not-sent',
          `no answer within ${timeoutMs / 1000} s: the decision is not recorded. It cannot take effect after ${expires}; ` +
            `check \`npx campaign status ${campaignId}\` and decide again if it still waits`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([send(), late]);
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      throw new ClientError('not-sent', `refused: ${err.cause?.message ?? err.message}`, { cause: err });
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
