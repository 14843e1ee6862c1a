import type { WorkflowHandle } from '@temporalio/client';
import type { PendingApproval } from '../domain/campaign';
import { gateOpenedUpdate } from '../workflows/messages';
import { ClientError, firstLineOf } from './errors';

/**
 * Waits until a campaign's approval gate shows round `round` (or later), without polling: the `waitForGate` Update
 * completes when the gate opens. Fails with a `gate-not-reached` {@link ClientError} when the campaign ends first or
 * the timeout passes. Used by the evaluation, the fixture recorder, the benchmark and the tests.
 */
export async function waitForApproval(
  handle: WorkflowHandle,
  options: { round?: number; timeoutMs?: number } = {},
): Promise<PendingApproval> {
  const { round = 1, timeoutMs = 30_000 } = options;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(
      () =>
        fail(
          new ClientError(
            'gate-not-reached',
            `${handle.workflowId} did not reach the approval gate (round ${round}) within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    const pending = await Promise.race([handle.executeUpdate(gateOpenedUpdate, { args: [{ round }] }), timeout]);
    if (pending) return pending;
  } catch (err) {
    if (err instanceof ClientError) throw err;
    // The Update fails, or is dropped, when the campaign ends first: say how it ended.
    const { status } = await handle.describe();
    if (status.name === 'RUNNING') {
      throw new ClientError('gate-not-reached', `${handle.workflowId}: ${firstLineOf(err)}`, { cause: err });
    }
  } finally {
    clearTimeout(timer);
  }
  // The gate answered that the campaign is closing (its last audit may still be on its way): wait for its end.
  let patience: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    handle.result().catch(() => undefined),
    new Promise((done) => {
      patience = setTimeout(done, 10_000);
    }),
  ]);
  clearTimeout(patience);
  const { status } = await handle.describe();
  const why =
    status.name === 'FAILED'
      ? await handle.result().then(
          () => '',
          (e: unknown) => `: ${innermost(e)}`,
        )
      : '';
  throw new ClientError('gate-not-reached', `campaign ended ${status.name} before the approval gate${why}`);
}

/** The innermost cause's message of a workflow's failure: what actually stopped it. */
function innermost(err: unknown): string {
  let cause: unknown = err;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return firstLineOf(cause);
}
