import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { describe, expect, it } from 'vitest';
import { workflowResult } from '../audit/history-audit';
import type { AuditEvent } from '../domain/audit';
import { type Checkpoint, signCheckpoint } from '../domain/audit-anchor';
import { verifyTrail } from '../domain/audit-verify';
import { hashOf } from '../domain/hash';
import { keyIdOf, publicKeyOf } from '../domain/signatures';

// A real trail: the one a recorded campaign (a change request, two signed approvals) kept in its result.
const history = historyFromJSON(
  JSON.parse(
    readFileSync(resolve(import.meta.dirname, 'fixtures/histories/campaign-high-risk-changes-v7.json'), 'utf8'),
  ),
);
const trail = workflowResult(history.events ?? [])?.audit ?? [];
const WORKER_SECRET = 'a'.repeat(64);
const trusted = { [keyIdOf(publicKeyOf(WORKER_SECRET))]: publicKeyOf(WORKER_SECRET) };
const campaignId = trail[0]?.workflowId ?? '';

function checkpointOf(events: readonly AuditEvent[]): Checkpoint {
  const last = events.at(-1) as AuditEvent;
  return signCheckpoint({ campaignId, seq: last.seq, head: last.hash, at: '2026-11-22T12:00:00Z' }, WORKER_SECRET);
}
const checkpoint = checkpointOf(trail);
const anchors = { campaignId, checkpoint, trustedKeys: trusted };

/** Re-seals events from `from` on, as an attacker who recomputes every hash would. */
function reseal(events: AuditEvent[], from = 0): AuditEvent[] {
  const out = events.slice(0, from);
  for (const event of events.slice(from)) {
    const { hash: _, ...rest } = event;
    const unsealed = { ...rest, seq: out.length + 1, prevHash: out.at(-1)?.hash ?? '0'.repeat(64) };
    out.push({ ...unsealed, hash: hashOf(unsealed) });
  }
  return out;
}

/** A seeded random generator, so a failing tampering can be reproduced. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('trail verification', () => {
  it('verifies the untouched trail against its signed checkpoint', () => {
    expect(trail.length).toBeGreaterThan(10);
    expect(verifyTrail(trail, anchors)).toMatchObject({ ok: true, firstBad: null });
  });

  it('detects every one of 1,200 random tamperings (edit, delete, insert, swap, truncate), hashes recomputed or not', () => {
    const next = random(20261122);
    const pick = (n: number) => Math.floor(next() * n);
    const kinds = ['edit', 'delete', 'insert', 'swap', 'truncate'] as const;
    const undetected: string[] = [];
    for (let i = 0; i < 1200; i++) {
      const kind = kinds[i % kinds.length] as (typeof kinds)[number];
      let events = trail.map((e) => structuredClone(e));
      const at = pick(events.length);
      switch (kind) {
        case 'edit': {
          const event = events[at] as AuditEvent;
          const fields = ['actor', 'action', 'outcome', 'inputHash', 'outputHash', 'at', 'step'] as const;
          const field = fields[pick(fields.length)] as (typeof fields)[number];
          if (field === 'actor') event.actor = { ...event.actor, id: `mallory-${i}` };
          else (event as unknown as Record<string, unknown>)[field] = `tampered-${i}`;
          break;
        }
        case 'delete':
          events.splice(at, 1);
          break;
        case 'insert':
          events.splice(at, 0, { ...(events[pick(events.length)] as AuditEvent), action: `forged-${i}` });
          break;
        case 'swap': {
          const other = (at + 1 + pick(events.length - 1)) % events.length;
          [events[at], events[other]] = [events[other] as AuditEvent, events[at] as AuditEvent];
          break;
        }
        case 'truncate':
          events = events.slice(0, Math.max(1, at));
          break;
      }
      // Half the attackers also recompute every hash after their change, so the chain itself looks intact.
      if (i % 2 === 1) events = reseal(events, Math.max(0, Math.min(at, events.length) - 1));
      const result = verifyTrail(events, anchors);
      if (result.ok) undetected.push(`#${i} ${kind} at ${at}`);
    }
    expect(undetected).toEqual([]);
  });

  it('names the first bad event', () => {
    const edited = trail.map((e) => (e.seq === 7 ? { ...e, action: 'approve' } : e));
    const result = verifyTrail(edited, anchors);
    expect(result.firstBad).toBe(7);
    expect(result.checks.find((c) => c.name === 'chain')?.detail).toBe('event 7: hash does not match the event');
    const cut = verifyTrail(trail.slice(0, -2), anchors);
    expect(cut.checks.find((c) => c.name === 'checkpoint')?.detail).toMatch(
      /the trail ends at event \d+, but the signed checkpoint says \d+: cut off/,
    );
  });

  it('refuses a checkpoint signed by a key nobody trusts', () => {
    const forged = signCheckpoint(
      { campaignId, seq: checkpoint.seq, head: checkpoint.head, at: checkpoint.at },
      'b'.repeat(64),
    );
    const result = verifyTrail(trail, { ...anchors, checkpoint: forged });
    expect(result.checks.find((c) => c.name === 'checkpoint')?.detail).toMatch(/not a trusted worker key/);
  });
});
