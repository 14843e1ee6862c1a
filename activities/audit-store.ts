import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEvent } from '../domain/audit';
import { type Checkpoint, signCheckpoint } from '../domain/audit-anchor';
import { GENESIS_HASH } from '../domain/audit-verify';
import { canonicalJson, hashOf } from '../domain/hash';
import { folderFor } from './folders';

/** A campaign's stored trail and the signed checkpoint of its head. */
export interface StoredTrail {
  events: AuditEvent[];
  checkpoint: Checkpoint | null;
}

/**
 * The append-only audit store that outlives Temporal's retention. One small interface, so a database table or an object
 * store with a retention lock can replace the file implementation.
 */
export interface AuditStore {
  /**
   * Appends the events that continue the campaign's stored chain. Events already stored (same sequence number and
   * hash) are skipped, so a retried activity appends nothing twice; any other event that does not continue the chain,
   * or comes from another run than the one whose trail this is, is refused with {@link AuditStoreRefusal} and
   * nothing is written. `campaignId` and `runId` come from the caller's own activity info, never from the events.
   */
  append(
    campaignId: string,
    runId: string,
    events: readonly AuditEvent[],
  ): { appended: number; checkpoint: Checkpoint | null };
  read(campaignId: string): StoredTrail;
  /** The campaign ids with a stored trail. */
  campaigns(): string[];
}

/** An event the store will not take: it would break the chain, or it belongs to another campaign. */
export class AuditStoreRefusal extends Error {
  override readonly name = 'AuditStoreRefusal';
}

/**
 * An {@link AuditStore} of files in `dir`: `<campaign>.jsonl` (one event per line, canonical JSON, fsync after every
 * append) and `<campaign>.checkpoint.json` (the head, signed with the worker's key).
 */
export function createFileAuditStore(dir: string, workerSecretKey: string): AuditStore {
  mkdirSync(dir, { recursive: true });
  const trailFile = (id: string) => join(dir, `${folderFor(id)}.jsonl`);
  const checkpointFile = (id: string) => join(dir, `${folderFor(id)}.checkpoint.json`);

  return {
    read: (campaignId) => readStoredTrail(dir, campaignId),
    append(campaignId, runId, incoming) {
      const stored = readTrail(trailFile(campaignId));
      const owner = stored[0]?.runId;
      if (owner && owner !== runId) {
        throw new AuditStoreRefusal(`${campaignId}'s trail belongs to run ${owner}, not ${runId}`);
      }
      const fresh: AuditEvent[] = [];
      let head = stored.at(-1)?.hash ?? GENESIS_HASH;
      for (const event of incoming) {
        if (event.workflowId !== campaignId || event.runId !== runId) {
          throw new AuditStoreRefusal(
            `event ${event.seq} belongs to ${event.workflowId} run ${event.runId}, not this run of ${campaignId}`,
          );
        }
        const earlier = stored[event.seq - 1];
        if (earlier) {
          if (earlier.hash !== event.hash) {
            throw new AuditStoreRefusal(`event ${event.seq} differs from the stored event ${event.seq}`);
          }
          continue;
        }
        const expectedSeq = stored.length + fresh.length + 1;
        if (event.seq !== expectedSeq)
          throw new AuditStoreRefusal(`event ${event.seq} comes before event ${expectedSeq}`);
        if (event.prevHash !== head) throw new AuditStoreRefusal(`event ${event.seq} does not continue the chain`);
        const { hash, ...unsealed } = event;
        if (hashOf(unsealed) !== hash) throw new AuditStoreRefusal(`event ${event.seq} does not match its own hash`);
        fresh.push(event);
        head = hash;
      }
      if (fresh.length === 0) return { appended: 0, checkpoint: readCheckpoint(checkpointFile(campaignId)) };
      appendDurably(trailFile(campaignId), fresh.map((e) => `${canonicalJson(e)}\n`).join(''));
      const last = fresh.at(-1) as AuditEvent;
      const checkpoint = signCheckpoint(
        { campaignId, seq: last.seq, head: last.hash, at: new Date().toISOString() },
        workerSecretKey,
      );
      writeDurably(checkpointFile(campaignId), `${JSON.stringify(checkpoint, null, 2)}\n`);
      return { appended: fresh.length, checkpoint };
    },
    campaigns: () => storedCampaigns(dir),
  };
}

/** A campaign's stored trail and checkpoint, read without a key: what auditors and the CLI use. */
export function readStoredTrail(dir: string, campaignId: string): StoredTrail {
  return {
    events: readTrail(join(dir, `${folderFor(campaignId)}.jsonl`)),
    checkpoint: readCheckpoint(join(dir, `${folderFor(campaignId)}.checkpoint.json`)),
  };
}

/** The campaign ids with a trail in the store folder `dir`. */
export function storedCampaigns(dir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  return files
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readTrail(join(dir, f))[0]?.workflowId ?? [])
    .sort();
}

function readTrail(file: string): AuditEvent[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditEvent);
}

function readCheckpoint(file: string): Checkpoint | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Checkpoint;
  } catch {
    return null;
  }
}

/** Appends and fsyncs: once this returns, the lines are on disk. */
function appendDurably(file: string, text: string): void {
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces a file atomically and durably (temp file, fsync, rename). */
function writeDurably(file: string, text: string): void {
  const partial = `${file}.${process.pid}.partial`;
  const fd = openSync(partial, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
}
