import type { AuditEvent } from './audit';
import { hashOf } from './hash';

/** The hash every chain starts from. */
export const GENESIS_HASH = '0'.repeat(64);

/** Whether a trail is intact, and where it first breaks if not. */
export type ChainCheck =
  | { kind: 'intact'; head: string; events: number }
  | { kind: 'broken'; seq: number; problem: string };

/** Recomputes every event's hash and link; any edit, insertion, removal or reordering breaks the chain. */
export function verifyAuditChain(events: readonly AuditEvent[]): ChainCheck {
  let prev = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    const { hash, ...unsealed } = event;
    if (event.seq !== index + 1) return { kind: 'broken', seq: event.seq, problem: `expected seq ${index + 1}` };
    if (event.prevHash !== prev)
      return { kind: 'broken', seq: event.seq, problem: 'prevHash does not match the event before' };
    if (hashOf(unsealed) !== hash) return { kind: 'broken', seq: event.seq, problem: 'hash does not match the event' };
    prev = hash;
  }
  return { kind: 'intact', head: prev, events: events.length };
}
