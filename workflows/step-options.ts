import type { ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_FAILURES } from '../domain/failures';
import type { StepProfile } from '../domain/steps';

const nonRetryableErrorTypes = [...NON_RETRYABLE_FAILURES];

/**
 * Reminders: a webhook may be down for a while, so a few patient retries; a reminder that cannot be sent is audited
 * and does not hold up the campaign.
 */
export const NOTIFY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 6 },
};

/** Timeouts and retries per step profile; the step catalogue says which profile each step has. */
export const STEP_OPTIONS: Record<StepProfile, ActivityOptions> = {
  /** Steps that read local data and call no model: quick, retried a few times. */
  local: {
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      maximumAttempts: 5,
      nonRetryableErrorTypes,
    },
  },
  /**
   * Steps that call a model: slow and rate-limited, so a long deadline (a call and its one repair, each bounded by the
   * gateway's own timeout) and patient backoff. The gateway heartbeats every 5 s while it waits, so a dead worker is
   * noticed within the heartbeat timeout instead of the whole deadline.
   */
  model: {
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '30 seconds',
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      maximumAttempts: 8,
      nonRetryableErrorTypes,
    },
  },
  /** Publishing writes to the outbox once; retries are safe because the write is idempotent per workflow. */
  publish: {
    startToCloseTimeout: '1 minute',
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '1 minute',
      maximumAttempts: 10,
      nonRetryableErrorTypes,
    },
  },
};
