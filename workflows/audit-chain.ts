import { workflowInfo } from '@temporalio/workflow';
import type { AuditEvent } from '../domain/audit';
import { GENESIS_HASH } from '../domain/audit-verify';
import { hashOf } from '../domain/hash';

/** The fields a caller gives; sequence, time, ids and hashes are filled in by the chain. */
export type AuditEntry = Omit<AuditEvent, 'seq' | 'at' | 'workflowId' | 'runId' | 'prevHash' | 'hash'>;

/** The workflow's own copy of the audit trail; each event's hash covers the one before it. */
export class AuditChain {
  readonly events: AuditEvent[] = [];

  get head(): string {
    return this.events.at(-1)?.hash ?? GENESIS_HASH;
  }

  /** Appends an event; `Date` is deterministic in workflow code, so replay yields the same hashes. */
  append(entry: AuditEntry): AuditEvent {
    const { workflowId, runId } = workflowInfo();
    const unsealed = {
      ...entry,
      seq: this.events.length + 1,
      at: new Date().toISOString(),
      workflowId,
      runId,
      prevHash: this.head,
    };
    const event: AuditEvent = { ...unsealed, hash: hashOf(unsealed) };
    this.events.push(event);
    return event;
  }
}
