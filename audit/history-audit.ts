import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { AuditEvent, PolicyRecord } from '../domain/audit';
import type { CampaignResult } from '../domain/campaign';
import { openGovernedCall } from '../domain/governed-call';
import { hashOf } from '../domain/hash';
import { noteOf } from '../domain/signatures';
import { STEPS, type StepName } from '../domain/steps';

type History = temporal.api.history.v1.IHistory;
type Payload = temporal.api.common.v1.IPayload;

/** The notifier activity behind a `notify.send` event of each step: reminders at escalation, notices. */
const NOTIFIER_ACTIVITY: Partial<Record<string, 'notifyApprovers' | 'notifyPeople'>> = {
  escalation: 'notifyApprovers',
  notice: 'notifyPeople',
};

/** Where the history and the trail part ways, named by both sides. */
export interface Mismatch {
  /** The history event (id and kind) the audit event was checked against, if there is one. */
  historyEvent: string | null;
  /** The audit event's sequence number and step, if there is one. */
  auditEvent: string | null;
  problem: string;
}

/** One activity as the history shows it: its input and its result, whatever the envelope. */
export interface Completion {
  eventId: string;
  activityType: string;
  input: unknown;
  result: unknown;
}

/** One decision as the history shows it: an accepted Update or a Signal. */
interface HistoryDecision {
  eventId: string;
  via: 'update' | 'signal';
  raw: Record<string, unknown>;
}

/**
 * Recomputes what the audit trail must say from the history itself (the start input, every activity's input and
 * result, every decision that reached the workflow) and compares it with `trail`, event by event. Temporal's replay
 * does not compare activity inputs or results; this does, so an edited result or decision in an exported history, or
 * a trail that no longer matches the history, is found and named. Returns the first mismatch, or null.
 */
export function compareHistoryWithTrail(history: History, trail: readonly AuditEvent[]): Mismatch | null {
  const events = history.events ?? [];
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  const start = decode(started?.input?.payloads?.[0]) as { brief?: unknown; requestedBy?: string } | undefined;
  const completions = activityCompletions(events);
  const decisions = historyDecisions(events);
  const budgetDecisions = historyBudgetDecisions(events);
  const seen: Partial<Record<string, number>> = {};
  let decisionIndex = 0;
  let budgetIndex = 0;

  for (const event of trail) {
    const label = `${event.seq} (${event.step})`;
    if (event.step === 'start') {
      if (event.inputHash !== hashOf(start?.brief) || event.actor.id !== start?.requestedBy) {
        return {
          historyEvent: '1 (WorkflowExecutionStarted)',
          auditEvent: label,
          problem: 'the start request differs',
        };
      }
      continue;
    }
    if (event.step === 'budget') {
      const decision = budgetDecisions[budgetIndex++];
      if (!decision)
        return { historyEvent: null, auditEvent: label, problem: 'the history has no budget decision for this event' };
      const problem = budgetProblem(event, decision.raw);
      if (problem) return { historyEvent: `${decision.eventId} (budgetDecision Update)`, auditEvent: label, problem };
      continue;
    }
    const notifier = event.action === 'notify.send' ? NOTIFIER_ACTIVITY[event.step] : undefined;
    if (notifier) {
      // A reminder or a notice: the notifier activity ran, and the policy that allowed it is the one audited.
      const nth = seen[notifier] ?? 0;
      seen[notifier] = nth + 1;
      const completion = completions.filter((c) => c.activityType === notifier)[nth];
      if (event.outcome !== 'ok') continue;
      if (!completion) {
        const what = notifier === 'notifyApprovers' ? 'reminder' : 'notice';
        return { historyEvent: null, auditEvent: label, problem: `the history has no ${what} for this event` };
      }
      const { policy } = unwrap(completion.result);
      if (hashOf(policy) !== hashOf(event.policy)) {
        const at = `${completion.eventId} (${notifier})`;
        return { historyEvent: at, auditEvent: label, problem: 'the policy decision differs from the one audited' };
      }
      continue;
    }
    if (event.actor.kind === 'agent') {
      const step = event.step as StepName;
      const spec = STEPS[step];
      if (!spec) return { historyEvent: null, auditEvent: label, problem: `no step ${event.step} in the catalogue` };
      const nth = seen[step] ?? 0;
      seen[step] = nth + 1;
      const completion = completions.filter((c) => c.activityType === spec.activity)[nth];
      if (!completion) {
        return { historyEvent: null, auditEvent: label, problem: `the history has no ${spec.activity} for this event` };
      }
      const at = `${completion.eventId} (${spec.activity})`;
      const { output, policy } = unwrap(completion.result);
      const input = completion.input ?? { brief: start?.brief, requestedBy: start?.requestedBy };
      if (event.outputHash !== hashOf(output))
        return { historyEvent: at, auditEvent: label, problem: 'the activity result differs from the one audited' };
      if (event.inputHash !== hashOf(spec.auditedInput(withoutAudit(input) as never))) {
        return { historyEvent: at, auditEvent: label, problem: 'the activity input differs from the one audited' };
      }
      if (policy && hashOf(policy) !== hashOf(event.policy)) {
        return { historyEvent: at, auditEvent: label, problem: 'the policy decision differs from the one audited' };
      }
      continue;
    }
    if (event.step === 'approval') {
      const decision = decisions[decisionIndex++];
      if (!decision)
        return { historyEvent: null, auditEvent: label, problem: 'the history has no decision for this event' };
      const at = `${decision.eventId} (${decision.via === 'update' ? 'decide Update' : 'decideSignal'})`;
      const problem = decisionProblem(event, decision);
      if (problem) return { historyEvent: at, auditEvent: label, problem };
    }
  }
  const unauditedBudget = budgetDecisions[budgetIndex];
  if (unauditedBudget) {
    return {
      historyEvent: `${unauditedBudget.eventId} (budgetDecision Update)`,
      auditEvent: null,
      problem: 'an accepted budget decision is missing from the trail',
    };
  }
  const unaudited = decisions.slice(decisionIndex).find((d) => d.via === 'update');
  if (unaudited) {
    return {
      historyEvent: `${unaudited.eventId} (decide Update)`,
      auditEvent: null,
      problem: 'an accepted decision is missing from the trail',
    };
  }
  const result = workflowResult(events);
  if (result) {
    const differs = result.audit.findIndex((e, i) => e.hash !== trail[i]?.hash);
    if (differs !== -1 || result.audit.length !== trail.length) {
      const seq = differs === -1 ? Math.min(result.audit.length, trail.length) + 1 : differs + 1;
      return {
        historyEvent: 'the workflow result',
        auditEvent: String(seq),
        problem: `the trail in the workflow's result and the audited trail part at event ${seq}`,
      };
    }
  }
  return null;
}

/** How a budget decision in the trail differs from the Update the history accepted; null when they agree. */
function budgetProblem(event: AuditEvent, raw: Record<string, unknown>): string | null {
  const detail = (event.detail ?? {}) as { maxCostEur?: number; reason?: string; signature?: unknown };
  if (raw.approver !== event.actor.id)
    return `the budget decision names ${String(raw.approver)}, the audit ${event.actor.id}`;
  if (raw.decision !== event.action)
    return `the budget decision was ${String(raw.decision)}, the audit says ${event.action}`;
  if ((raw.maxCostEur ?? null) !== (detail.maxCostEur ?? null)) return 'the budget decision raised to another amount';
  if ((raw.reason ?? null) !== (detail.reason ?? null)) return 'the budget decision gave another reason';
  if (hashOf(raw.signature ?? null) !== hashOf(detail.signature ?? null))
    return 'the budget decision carries another signature than the audit';
  return null;
}

/** Every budget decision the history accepted, in order. */
function historyBudgetDecisions(events: temporal.api.history.v1.IHistoryEvent[]) {
  return events.flatMap((event) => {
    const update = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
    if (update?.name !== 'budgetDecision') return [];
    return [{ eventId: String(event.eventId), raw: decode(update.args?.payloads?.[0]) as Record<string, unknown> }];
  });
}

function decisionProblem(event: AuditEvent, decision: HistoryDecision): string | null {
  const raw = decision.raw;
  if (raw.approver !== event.actor.id) return `the decision names ${String(raw.approver)}, the audit ${event.actor.id}`;
  if (event.outcome === 'refused') return decision.via === 'signal' ? null : 'an accepted Update is audited as refused';
  const detail = (event.detail ?? {}) as { contentHash?: string; note?: string; signature?: unknown };
  if (raw.decision !== event.action) return `the decision was ${String(raw.decision)}, the audit says ${event.action}`;
  if (raw.contentHash !== detail.contentHash) return 'the decision named other content than the audit';
  if (hashOf(raw.signature ?? null) !== hashOf(detail.signature ?? null))
    return 'the decision carries another signature than the audit';
  const note = noteOf(raw as never);
  if ((note ?? null) !== (detail.note ?? null)) return 'the decision carries another note than the audit';
  return null;
}

/** Every activity the history completed, scheduled or local, in completion order. */
export function activityCompletions(events: temporal.api.history.v1.IHistoryEvent[]): Completion[] {
  const scheduled = new Map<string, { activityType: string; input: unknown }>();
  const completions: Completion[] = [];
  for (const event of events) {
    const id = String(eventIdOf(event.eventId));
    const s = event.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(id, { activityType: s.activityType?.name ?? '', input: decode(s.input?.payloads?.[0]) });
    const c = event.activityTaskCompletedEventAttributes;
    if (c) {
      const from = scheduled.get(String(eventIdOf(c.scheduledEventId)));
      completions.push({
        eventId: `${id}`,
        activityType: from?.activityType ?? '',
        input: from?.input,
        result: decode(c.result?.payloads?.[0]),
      });
    }
    const m = event.markerRecordedEventAttributes;
    if (m?.markerName === 'core_local_activity') {
      const data = decode(m.details?.data?.payloads?.[0]) as { activity_type?: string } | undefined;
      completions.push({
        eventId: id,
        activityType: data?.activity_type ?? '',
        // A local activity's input is not in its marker; the only local step, planning, takes the start input.
        input: undefined,
        result: decode(m.details?.result?.payloads?.[0]),
      });
    }
  }
  return completions;
}

function historyDecisions(events: temporal.api.history.v1.IHistoryEvent[]): HistoryDecision[] {
  return events.flatMap((event): HistoryDecision[] => {
    const update = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
    if (update?.name === 'decide') {
      return [
        {
          eventId: String(event.eventId),
          via: 'update',
          raw: decode(update.args?.payloads?.[0]) as Record<string, unknown>,
        },
      ];
    }
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (signal?.signalName === 'decideSignal') {
      return [
        {
          eventId: String(event.eventId),
          via: 'signal',
          raw: decode(signal.input?.payloads?.[0]) as Record<string, unknown>,
        },
      ];
    }
    return [];
  });
}

/** The workflow's result, when it completed. */
export function workflowResult(events: temporal.api.history.v1.IHistoryEvent[]): CampaignResult | null {
  const completed = events.find((e) => e.workflowExecutionCompletedEventAttributes);
  const payload = completed?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0];
  return payload ? (decode(payload) as CampaignResult) : null;
}

/** An activity result out of its envelope, as the workflow unwrapped it (`governed-steps.ts`). */
function unwrap(raw: unknown): { output: unknown; policy: PolicyRecord | undefined } {
  if (raw && typeof raw === 'object' && 'output' in raw && 'policy' in raw) {
    const { output, policy } = raw as { output: unknown; policy: PolicyRecord };
    return { output, policy };
  }
  return { output: raw, policy: (raw as { governance?: PolicyRecord } | null)?.governance };
}

function withoutAudit(input: unknown): unknown {
  return openGovernedCall(input).input;
}

/** A history event's id as a number, whether protobuf gives a number, a Long or a plain `{ low, high }`. */
export function eventIdOf(id: unknown): number {
  if (typeof id === 'number') return id;
  if (typeof id === 'string') return Number(id);
  if (id && typeof id === 'object' && 'low' in id) {
    const { low, high } = id as { low: number; high?: number };
    return (high ?? 0) * 2 ** 32 + (low >>> 0);
  }
  return Number.NaN;
}

function decode(payload: Payload | null | undefined): unknown {
  if (!payload) return undefined;
  try {
    return defaultPayloadConverter.fromPayload(payload as never);
  } catch {
    return undefined;
  }
}
