import type { ActivityOptions } from '@temporalio/workflow';

/** Steps that read local data and call no model: quick, retried a few times. */
export const AGENT_STEP: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['InvalidBrief', 'PolicyDenied'],
  },
};

/**
 * Steps that call a model: slow and rate-limited, so a long deadline (a call and its one repair, each bounded by the
 * gateway's own timeout) and patient backoff. The gateway heartbeats every 5 s while it waits, so a dead worker is
 * noticed within the heartbeat timeout instead of the whole deadline.
 */
export const MODEL_STEP: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 8,
    nonRetryableErrorTypes: [
      'InvalidBrief',
      'InvalidData',
      'PolicyDenied',
      'ModelRefusal',
      'ModelContentPolicy',
      'ModelRequestRejected',
      'ModelOutputInvalid',
    ],
  },
};

/** Publishing writes to the outbox once; retries are safe because the write is idempotent per workflow. */
export const PUBLISH_STEP: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['PolicyDenied'],
  },
};
