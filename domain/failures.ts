/**
 * The failure types that activities, the policy check and the approval gate raise. Throw sites, retry options, the
 * CLI and the tests all use these names, so a typo cannot turn a final failure into eight retries.
 */
export const Failure = {
  /** The brief names something this installation does not know (a brand, a segment, a requester). */
  InvalidBrief: 'InvalidBrief',
  /** A data file is missing, unreadable or malformed: an operator must fix it. */
  InvalidData: 'InvalidData',
  /** No Cedar policy permits the tool call, or a policy forbids it. */
  PolicyDenied: 'PolicyDenied',
  /** The model call timed out; worth another attempt. */
  ModelTimeout: 'ModelTimeout',
  /** The model server asked us to slow down (429); retried after its `Retry-After`. */
  ModelRateLimited: 'ModelRateLimited',
  /** The model server failed or could not be reached; worth another attempt. */
  ModelUnavailable: 'ModelUnavailable',
  /** The model declined to answer. */
  ModelRefusal: 'ModelRefusal',
  /** The provider's content policy blocked the request. */
  ModelContentPolicy: 'ModelContentPolicy',
  /** The provider refused the request itself (a 4xx other than 429). */
  ModelRequestRejected: 'ModelRequestRejected',
  /** The model's answer failed its schema, also after one repair attempt. */
  ModelOutputInvalid: 'ModelOutputInvalid',
  /** The approval gate refused a decision; the message says why. */
  DecisionRefused: 'DecisionRefused',
  /** The audit store refused events that do not continue the campaign's stored chain. */
  AuditRefused: 'AuditRefused',
  /** A model call would have gone over the campaign's budget, so it was not made; an approver decides. */
  BudgetExceeded: 'BudgetExceeded',
  /** The deployment's RFC 3161 timestamp authority did not answer with a valid token; publishing waits for it. */
  TimestampUnavailable: 'TimestampUnavailable',
  /** A reminder could not be delivered (the webhook refused or failed). */
  NotificationFailed: 'NotificationFailed',
} as const;

/** One of {@link Failure}'s names. */
export type FailureType = (typeof Failure)[keyof typeof Failure];

/** Failures that asking again cannot fix: the activity retry policies stop at once on these. */
export const NON_RETRYABLE_FAILURES: readonly FailureType[] = [
  Failure.InvalidBrief,
  Failure.InvalidData,
  Failure.PolicyDenied,
  Failure.ModelRefusal,
  Failure.ModelContentPolicy,
  Failure.ModelRequestRejected,
  Failure.ModelOutputInvalid,
  Failure.AuditRefused,
  Failure.BudgetExceeded,
];
