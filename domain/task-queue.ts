/** The one task queue campaign workflows and their activities run on. */
export const TASK_QUEUE = 'campaigns';
