import { ApplicationFailure } from '@temporalio/common';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  InternalServerError,
  RateLimitError,
} from 'openai';
import { Failure } from '../../domain/failures';

/**
 * Turns a provider error into a Temporal failure whose retryability is decided here, not by the SDK's own retries:
 * rate limits, 5xx, connection errors and timeouts retry with the activity's backoff; other 4xx, refusals and content
 * policy errors do not, because asking again gets the same answer. Messages name the status, never the prompt.
 */
export function classifyModelError(err: unknown, role: string): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof APIUserAbortError || err instanceof APIConnectionTimeoutError) {
    return ApplicationFailure.retryable(`${role} model call timed out`, Failure.ModelTimeout);
  }
  if (err instanceof RateLimitError) {
    const retryAfter = Number(err.headers?.get?.('retry-after'));
    return ApplicationFailure.create({
      message: `${role} model call rate-limited (429)`,
      type: Failure.ModelRateLimited,
      nextRetryDelay: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
    });
  }
  if (err instanceof InternalServerError) {
    return ApplicationFailure.retryable(`${role} model call failed with ${err.status}`, Failure.ModelUnavailable);
  }
  if (err instanceof APIConnectionError) {
    return ApplicationFailure.retryable(`${role} model server unreachable`, Failure.ModelUnavailable);
  }
  if (err instanceof APIError) {
    const contentPolicy = err.code === 'content_policy_violation' || err.code === 'content_filter';
    return ApplicationFailure.nonRetryable(
      `${role} model call rejected with ${err.status ?? 'an error'}${err.code ? ` (${err.code})` : ''}`,
      contentPolicy ? Failure.ModelContentPolicy : Failure.ModelRequestRejected,
    );
  }
  return ApplicationFailure.retryable(
    `${role} model call failed: ${err instanceof Error ? err.name : 'unknown error'}`,
    Failure.ModelUnavailable,
  );
}

/** The model declined to answer; asking again would not help. */
export function refusal(role: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`${role} model refused the request`, Failure.ModelRefusal);
}
