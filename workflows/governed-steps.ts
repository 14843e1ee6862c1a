import { type ActivityOptions, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { GovernedActivities } from '../activities';
import type { NoticeInput, NotifyInput } from '../activities/notifier';
import type { RecordDecisionInput } from '../activities/recorder';
import type { AuditEvent, Governed, GovernedCall, PolicyRecord } from '../domain/audit';
import { STEPS, type StepActivity, type StepName, type StepProfile } from '../domain/steps';
import { roleQueue, type WorkerRole } from '../domain/task-queue';
import type { CampaignPatches } from './patches';
import { NOTIFY_OPTIONS, STEP_OPTIONS } from './step-options';

/** The input of step `S`'s activity. */
export type StepInput<S extends StepName> = Parameters<GovernedActivities[StepActivity<S>]>[0];

/** The output of step `S`'s activity, out of its envelope. */
export type StepOutput<S extends StepName> = Awaited<ReturnType<GovernedActivities[StepActivity<S>]>>['output'];

/** One step's result out of its envelope: what later steps get, the policy record, and what the audit hashes. */
export interface StepResult<T> {
  output: T;
  policy: PolicyRecord | undefined;
  /** The result as the activity returned it, which the audit event's `outputHash` covers. */
  audited: unknown;
}

const proxies = {
  local: proxyActivities<GovernedActivities>(STEP_OPTIONS.local),
  model: proxyActivities<GovernedActivities>(STEP_OPTIONS.model),
  publish: proxyActivities<GovernedActivities>(STEP_OPTIONS.publish),
};

/** Proxies that schedule on a role's own task queue, made on first use per profile and queue. */
const queued = new Map<string, GovernedActivities>();
function proxyOn(profile: StepProfile, taskQueue: string): GovernedActivities {
  const key = `${profile}:${taskQueue}`;
  let proxy = queued.get(key);
  if (!proxy) {
    proxy = proxyActivities<GovernedActivities>({ ...STEP_OPTIONS[profile], taskQueue });
    queued.set(key, proxy);
  }
  return proxy;
}

/** The role whose task queue runs a step of `profile`. */
const ROLE_OF: Record<StepProfile, WorkerRole> = { local: 'data', model: 'models', publish: 'publish' };
/** Short steps on local data run inside the workflow task: one marker event instead of three events and a task. */
const local = proxyLocalActivities<GovernedActivities>(STEP_OPTIONS.local);

/** What decides where the activities that record and notify run. */
type SupportPatches = Pick<CampaignPatches, 'roleQueues' | 'leanCommands'>;

/**
 * The task queue of the activities that record and notify: the workflow's own (none named) from the lean-commands
 * patch on, where the server hands them to the workflow worker with the workflow task's completion (eager dispatch,
 * no wait for a poller); the data role's queue with role queues before it.
 */
function supportQueue(patches: SupportPatches): string | undefined {
  if (patches.leanCommands || !patches.roleQueues) return undefined;
  return roleQueue(workflowInfo().taskQueue, 'data');
}

/** The recorder and the notifier, scheduled (never local) with `options`, on the support queue. */
function supportProxy(options: ActivityOptions, patches: SupportPatches): GovernedActivities {
  const taskQueue = supportQueue(patches);
  return proxyActivities<GovernedActivities>({ ...options, ...(taskQueue ? { taskQueue } : {}) });
}

/**
 * Sends a reminder through the notifier activity (behind the policy check); returns where it went and the policy that
 * allowed it.
 */
export async function sendReminder(
  input: NotifyInput,
  patches: SupportPatches,
): Promise<{ sent: string; policy: PolicyRecord | undefined }> {
  const { output, policy } = unwrap(await supportProxy(NOTIFY_OPTIONS, patches).notifyApprovers(input)) as StepResult<{
    sent: string;
  }>;
  return { sent: output.sent, policy };
}

/** Sends a notice through the notifier activity (behind the policy check). */
export async function sendNotice(
  input: NoticeInput,
  patches: SupportPatches,
): Promise<{ sent: string; policy: PolicyRecord | undefined }> {
  const { output, policy } = unwrap(await supportProxy(NOTIFY_OPTIONS, patches).notifyPeople(input)) as StepResult<{
    sent: string;
  }>;
  return { sent: output.sent, policy };
}

/**
 * Has the worker side check and record a decision the moment a gate accepted it (campaigns with receipts): a scheduled
 * activity, so the time it checks freshness against is the server's when it was scheduled.
 */
export async function recordDecision(input: RecordDecisionInput, patches: SupportPatches): Promise<void> {
  await supportProxy(STEP_OPTIONS.local, patches).recordDecision(input);
}

/**
 * Hands the audit store events no later step will carry: the recorder activity appends them. Campaigns with receipts
 * schedule it: a scheduled activity's input is fixed in history before it runs, where a local activity's events would
 * be made again, with another time, by a workflow task retried after its worker died.
 */
export async function storeAudit(
  events: AuditEvent[],
  patches: Pick<CampaignPatches, 'receipts'> & SupportPatches,
): Promise<void> {
  const recorder = patches.receipts ? supportProxy(STEP_OPTIONS.local, patches) : local;
  await recorder.recordAudit({ events });
}

/**
 * Runs step `name`'s activity (local or scheduled) with its profile's timeouts and retries, and unwraps its result.
 * With the role-queues patch, a scheduled activity goes to its role's task queue next to the workflow's own.
 */
export async function runActivity<S extends StepName>(
  name: S,
  input: StepInput<S>,
  options: { local: boolean; audit?: AuditEvent[]; patches: Pick<CampaignPatches, 'roleQueues'> },
): Promise<StepResult<StepOutput<S>>> {
  const { activity, profile } = STEPS[name];
  const scheduled = options.patches.roleQueues
    ? proxyOn(profile, roleQueue(workflowInfo().taskQueue, ROLE_OF[profile]))
    : proxies[profile];
  const call = (options.local ? local : scheduled)[activity] as (input: unknown) => Promise<unknown>;
  // The audit events not yet stored ride in a declared envelope; the governance interceptor records them and hands
  // the activity its input alone.
  const sent: GovernedCall<StepInput<S>> | StepInput<S> = options.audit ? { input, audit: options.audit } : input;
  return unwrap(await call(sent)) as StepResult<StepOutput<S>>;
}

/**
 * The one place a governed result is opened. Histories recorded before the envelope existed hold results with the
 * policy record spread in as `governance`; those stay exactly as they were, so a replay rebuilds the same audit trail.
 */
function unwrap(raw: unknown): StepResult<unknown> {
  if (raw && typeof raw === 'object' && 'output' in raw && 'policy' in raw) {
    const { output, policy } = raw as Governed<unknown>;
    return { output, policy, audited: output };
  }
  const legacy = raw as { governance?: PolicyRecord } | null;
  return { output: raw, policy: legacy?.governance, audited: raw };
}
