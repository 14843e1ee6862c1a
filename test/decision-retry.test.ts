import { describe, expect, it } from 'vitest';
import { whileTaskRetries } from '../client/decide';

// The server refuses an Update for a moment after a workflow task failed (new events arrived as the worker completed
// it, as a Signal flood makes happen); a decision is sent again then, and only then.
const taskFailed = () =>
  Object.assign(new Error('Workflow Update failed'), {
    cause: { code: 9, details: 'Unable to perform workflow execution update due to Workflow Task in failed state.' },
  });

describe('sending a decision while a workflow task has failed', () => {
  it('sends again until the task completes', async () => {
    let calls = 0;
    const answer = await whileTaskRetries(async () => {
      calls += 1;
      if (calls < 3) throw taskFailed();
      return 'accepted';
    }, Date.now() + 5000);
    expect({ answer, calls }).toEqual({ answer: 'accepted', calls: 3 });
  });

  it('gives any other refusal back at once, and this one at the deadline', async () => {
    let calls = 0;
    const refused = new Error('jonas.weber hat diesen Inhalt bereits freigegeben');
    await expect(
      whileTaskRetries(async () => {
        calls += 1;
        throw refused;
      }, Date.now() + 5000),
    ).rejects.toBe(refused);
    expect(calls).toBe(1);
    const started = Date.now();
    await expect(
      whileTaskRetries(async () => {
        throw taskFailed();
      }, Date.now() + 300),
    ).rejects.toThrow('Workflow Update failed');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
