/** The task queue campaign workflows run on (and, for campaigns started before role queues, their activities). */
export const TASK_QUEUE = 'campaigns';

/**
 * What a worker can take on: workflow tasks (and local activities), model calls, publishing, and data work
 * (reminders). Each role beyond `workflows` has a task queue of its own, so model-bound steps can be limited without
 * holding up decisions at the gate.
 */
export const WORKER_ROLES = ['workflows', 'models', 'publish', 'data'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

/** The task queue of `role` next to the campaigns' queue `base`. */
export function roleQueue(base: string, role: WorkerRole): string {
  return role === 'workflows' ? base : `${base}-${role}`;
}
