import type { AuditEvent } from './audit';
import { type Checkpoint, checkpointRefusal } from './audit-anchor';
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

/** One check of a trail and what it found. */
export interface TrailCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** What vouches for a trail from outside it. */
export interface TrailAnchors {
  campaignId?: string;
  /** The store's signed head, and the worker keys trusted to sign it (key id → public key hex). */
  checkpoint?: Checkpoint | null;
  trustedKeys?: Record<string, string>;
  /** The published package's seal: the trail's head when publishing began. */
  seal?: { workflowId: string; auditHead: string } | null;
}

/** A whole verification: every check, and the first event that breaks the trail, if one does. */
export interface TrailVerification {
  ok: boolean;
  checks: TrailCheck[];
  firstBad: number | null;
}

/**
 * Verifies a trail against itself and its anchors: any edited, deleted, inserted or reordered event breaks the chain
 * (named by its sequence number); a trail cut short, or rewritten with recomputed hashes, no longer ends where the
 * signed checkpoint says; a trail that does not hold the head the outbox seal recorded is not the one that published.
 */
export function verifyTrail(events: readonly AuditEvent[], anchors: TrailAnchors = {}): TrailVerification {
  const checks: TrailCheck[] = [];
  let firstBad: number | null = null;
  const fail = (seq: number) => {
    firstBad = firstBad === null ? seq : Math.min(firstBad, seq);
  };
  const chain = verifyAuditChain(events);
  if (chain.kind === 'broken') fail(chain.seq);
  checks.push({
    name: 'chain',
    ok: chain.kind === 'intact',
    detail:
      chain.kind === 'intact'
        ? `${chain.events} events, each hash covers its event and the one before`
        : `event ${chain.seq}: ${chain.problem}`,
  });
  if (events.length === 0) {
    checks.push({ name: 'events', ok: false, detail: 'the trail is empty' });
  }
  if (anchors.campaignId !== undefined) {
    const stranger = events.find((e) => e.workflowId !== anchors.campaignId);
    if (stranger) fail(stranger.seq);
    checks.push({
      name: 'campaign',
      ok: !stranger,
      detail: stranger
        ? `event ${stranger.seq} belongs to ${stranger.workflowId}`
        : `every event is ${anchors.campaignId}'s`,
    });
  }
  if (anchors.checkpoint !== undefined) checks.push(checkpointCheck(events, anchors, fail));
  if (anchors.seal) checks.push(sealCheck(events, anchors.seal, fail));
  return { ok: checks.every((c) => c.ok), checks, firstBad };
}

function checkpointCheck(
  events: readonly AuditEvent[],
  anchors: TrailAnchors,
  fail: (seq: number) => void,
): TrailCheck {
  const { checkpoint } = anchors;
  if (!checkpoint)
    return { name: 'checkpoint', ok: false, detail: 'no signed checkpoint: the end of the trail is unanchored' };
  const refusal = checkpointRefusal(checkpoint, anchors.trustedKeys ?? {});
  if (refusal) return { name: 'checkpoint', ok: false, detail: refusal };
  const last = events.at(-1);
  if (!last || last.seq < checkpoint.seq) {
    fail((last?.seq ?? 0) + 1);
    return {
      name: 'checkpoint',
      ok: false,
      detail: `the trail ends at event ${last?.seq ?? 0}, but the signed checkpoint says ${checkpoint.seq}: cut off`,
    };
  }
  const atCheckpoint = events[checkpoint.seq - 1];
  if (atCheckpoint?.hash !== checkpoint.head) {
    fail(checkpoint.seq);
    return {
      name: 'checkpoint',
      ok: false,
      detail: `event ${checkpoint.seq} is not the one the checkpoint signed: the trail was rewritten`,
    };
  }
  if (last.seq > checkpoint.seq) {
    fail(checkpoint.seq + 1);
    return {
      name: 'checkpoint',
      ok: false,
      detail: `events after ${checkpoint.seq} are not covered by the checkpoint`,
    };
  }
  return {
    name: 'checkpoint',
    ok: true,
    detail: `signed by ${checkpoint.keyId} at ${checkpoint.at}: ${checkpoint.seq} events, head matches`,
  };
}

function sealCheck(
  events: readonly AuditEvent[],
  seal: { workflowId: string; auditHead: string },
  fail: (seq: number) => void,
): TrailCheck {
  const index = seal.auditHead === GENESIS_HASH ? -1 : events.findIndex((e) => e.hash === seal.auditHead);
  const next = events[index + 1];
  if (index === -1 && seal.auditHead !== GENESIS_HASH) {
    return { name: 'seal', ok: false, detail: 'the outbox seal names a head that is not in the trail' };
  }
  if (next?.step !== 'publish') {
    if (next) fail(next.seq);
    return { name: 'seal', ok: false, detail: 'the event after the sealed head is not the publish step' };
  }
  return { name: 'seal', ok: true, detail: `the outbox package was sealed at event ${index + 1}, followed by publish` };
}
