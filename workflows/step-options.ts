import type { ActivityOptions } from '@temporalio/workflow';

/** Tool steps that read local data: quick, retried a few times. */
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

/** Model calls: slow and rate-limited, so a longer deadline and patient backoff. */
export const MODEL_STEP: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 8,
    nonRetryableErrorTypes: ['InvalidBrief', 'PolicyDenied', 'ModelRefusal'],
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
