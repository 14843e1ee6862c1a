import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';

/** One activity the insider's workflow schedules: on any task queue, with any input. */
export interface PuppetCall {
  taskQueue: string;
  activity: string;
  input: unknown;
}

/** What came back: the activity's result, or the innermost message of its failure. */
export type PuppetOutcome = { value: unknown } | { refused: string };

export const callUpdate = defineUpdate<PuppetOutcome, [PuppetCall]>('call');
export const doneSignal = defineSignal('done');

/**
 * An insider's workflow, registered under the campaign's own type name on a worker of their own: it does nothing by
 * itself, and schedules whatever activity its author asks for, one Update at a time, until told it is done.
 */
export async function campaignWorkflow(): Promise<void> {
  let done = false;
  setHandler(callUpdate, async (call) => {
    const activities = proxyActivities<Record<string, (input: unknown) => Promise<unknown>>>({
      taskQueue: call.taskQueue,
      startToCloseTimeout: '30 seconds',
      retry: { maximumAttempts: 1 },
    });
    const activity = activities[call.activity];
    if (!activity) throw ApplicationFailure.nonRetryable(`no activity ${call.activity}`);
    try {
      return { value: await activity(call.input) };
    } catch (err) {
      let cause: unknown = err;
      while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
      return { refused: cause instanceof Error ? cause.message : String(cause) };
    }
  });
  setHandler(doneSignal, () => {
    done = true;
  });
  await condition(() => done && allHandlersFinished());
}
