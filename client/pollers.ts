import type { Client } from '@temporalio/client';

/** `TASK_QUEUE_TYPE_WORKFLOW` of Temporal's `TaskQueueType` enum. */
const WORKFLOW_TASK_QUEUE = 1;
/** A worker long-polls for up to a minute; one not seen for longer than this has stopped. */
const ALIVE_WITHIN_MS = 90_000;

/** A worker polling a task queue: its identity (`pid@host` by default) and when the server last saw it. */
export interface Poller {
  identity: string;
  lastSeen: Date;
}

/** The workers that polled `taskQueue` for workflow tasks recently enough to be alive. */
export async function workflowPollers(client: Client, taskQueue: string, now = new Date()): Promise<Poller[]> {
  const response = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: WORKFLOW_TASK_QUEUE,
  });
  return (response.pollers ?? []).flatMap((poller) => {
    const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
    const lastSeen = new Date(seconds * 1000);
    const alive = now.getTime() - lastSeen.getTime() < ALIVE_WITHIN_MS;
    return alive ? [{ identity: poller.identity ?? '', lastSeen }] : [];
  });
}
