import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPackageFile } from '../audit/package';
import type { OutboxPackage } from '../domain/outbox-package';

const HASH = 'a'.repeat(64);
const published: OutboxPackage = {
  campaign: 'Grüner Tarif',
  brand: 'stadtwerke-nord',
  language: 'de',
  variants: [{ id: 'email-1', channel: 'email', headline: 'Jetzt wechseln' }],
  aiContent: { marking: 'Dieser Inhalt wurde mit KI erstellt.', generatedBy: { provider: 'offline' } },
  approval: { contentHash: HASH, approvedBy: ['jonas.weber'], requiredApprovals: 1 },
  // A comment as the approver sent it, trailing space and all: the reader must not trim what was signed.
  approvals: [{ decision: 'approve', approver: 'jonas.weber', contentHash: HASH, comment: 'passt so ' }],
  seal: { workflowId: 'campaign-1', runId: 'run-1', contentHash: HASH, auditHead: '0'.repeat(64) },
};
const { runId: _runId, ...sealOfAnEarlierVersion } = published.seal;
const { approvals: _approvals, ...withoutApprovals } = published;

const dir = mkdtempSync(join(tmpdir(), 'outbox-package-'));
function file(name: string, text: string | undefined): string {
  const path = join(dir, name);
  if (text !== undefined) writeFileSync(path, text);
  return path;
}

describe('the outbox package, as the publisher writes it and the auditor reads it', () => {
  it.each<[string, string | undefined, unknown]>([
    ['a package as the publisher writes it, exactly as written', JSON.stringify(published), published],
    [
      'a package of an earlier version, without approvals or run id',
      JSON.stringify({ ...withoutApprovals, seal: sealOfAnEarlierVersion }),
      { ...withoutApprovals, seal: sealOfAnEarlierVersion },
    ],
    ['no package at all as none', undefined, null],
    ['a file that is not JSON as none', '{"campaign": ', null],
  ])('reads %s', (label, text, expected) => {
    expect(readPackageFile(file(`${label}.json`, text))).toEqual(expected);
  });

  it.each([
    ['a package without its seal', { ...published, seal: undefined }, 'seal: is required'],
    [
      'an approval with a field no decision has',
      { ...published, approvals: [{ ...published.approvals?.[0], role: 'admin' }] },
      'approvals.0: unknown field "role"',
    ],
    ['variants that are not a list', { ...published, variants: 'alles' }, 'variants: Invalid input: expected array'],
  ])('refuses %s, naming the file and the field', (label, value, problem) => {
    const path = file(`${label}.json`, JSON.stringify(value));
    expect(() => readPackageFile(path)).toThrow(`${path} is not an outbox package: ${problem}`);
  });
});
