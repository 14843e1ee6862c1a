import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { describe, expect, it } from 'vitest';
import { AuditStoreRefusal, createFileAuditStore } from '../activities/audit-store';
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
const runId = trail[0]?.runId ?? '';

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

describe('the file audit store', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'audit-store-'));

  it('appends a chain once, however often it is handed the same events, and signs its head', () => {
    const store = createFileAuditStore(dir(), WORKER_SECRET);
    expect(store.append(campaignId, runId, trail.slice(0, 4)).appended).toBe(4);
    expect(store.append(campaignId, runId, trail.slice(0, 6)).appended).toBe(2);
    expect(store.append(campaignId, runId, trail).appended).toBe(trail.length - 6);
    expect(store.append(campaignId, runId, trail).appended).toBe(0);
    const stored = store.read(campaignId);
    expect(stored.events.map((e) => e.hash)).toEqual(trail.map((e) => e.hash));
    expect(verifyTrail(stored.events, { campaignId, checkpoint: stored.checkpoint, trustedKeys: trusted }).ok).toBe(
      true,
    );
    expect(store.campaigns()).toEqual([campaignId]);
  });

  it.each([
    [
      'an event that differs from the stored one',
      (t: AuditEvent[]) => [{ ...(t[1] as AuditEvent), hash: 'f'.repeat(64) }],
      /event 2 differs from the stored event 2/,
    ],
    ['a gap', (t: AuditEvent[]) => [t[5] as AuditEvent], /event 6 comes before event 4/],
    [
      'an event whose hash does not cover it',
      (t: AuditEvent[]) => [{ ...(t[3] as AuditEvent), action: 'approve' }],
      /event 4 does not match its own hash/,
    ],
    [
      'an event that does not continue the chain',
      (t: AuditEvent[]) => [{ ...(t[4] as AuditEvent), seq: 4 }],
      /event 4 does not continue the chain/,
    ],
    [
      "another campaign's event",
      (t: AuditEvent[]) => [{ ...(t[3] as AuditEvent), workflowId: 'other' }],
      /belongs to other/,
    ],
    [
      "another run's event",
      (t: AuditEvent[]) => [{ ...(t[3] as AuditEvent), runId: 'other-run' }],
      /belongs to .* run other-run/,
    ],
  ])('refuses %s and writes nothing', (_label, make, message) => {
    const store = createFileAuditStore(dir(), WORKER_SECRET);
    store.append(campaignId, runId, trail.slice(0, 3));
    expect(() => store.append(campaignId, runId, make(trail))).toThrow(AuditStoreRefusal);
    expect(() => store.append(campaignId, runId, make(trail))).toThrow(message);
    expect(store.read(campaignId).events).toHaveLength(3);
  });

  it('refuses any event from another run of the same campaign id once a trail exists', () => {
    const store = createFileAuditStore(dir(), WORKER_SECRET);
    store.append(campaignId, runId, trail.slice(0, 3));
    const rogue = reseal(trail.slice(0, 3).map((e) => ({ ...e, runId: 'rogue-run' })));
    expect(() => store.append(campaignId, 'rogue-run', rogue)).toThrow(/trail belongs to run .*, not rogue-run/);
  });
});
