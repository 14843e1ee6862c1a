import { proxyActivities } from '@temporalio/workflow';

/** What an insider's own workflow asks for: any activity, on any task queue, with any input. */
export interface RogueCall {
  taskQueue: string;
  activity: string;
  input: unknown;
}

/**
 * An attacker's workflow, run on their own worker and task queue: it schedules one of the campaign worker's
 * activities with an input of its choosing, and returns whatever the activity returns.
 */
export async function rogueWorkflow(call: RogueCall): Promise<unknown> {
  const activities = proxyActivities<Record<string, (input: unknown) => Promise<unknown>>>({
    taskQueue: call.taskQueue,
    startToCloseTimeout: '30 seconds',
    retry: { maximumAttempts: 1 },
  });
  const activity = activities[call.activity];
  if (!activity) throw new Error(`no activity ${call.activity}`);
  return activity(call.input);
}

/** The same, registered under the campaign's own workflow type name, as anyone may name a workflow. */
export const campaignWorkflow = rogueWorkflow;
