import { createHash } from 'node:crypto';
import { copyDigest, type MarkedCopy } from '../domain/ai-marking';
import type { TrailCheck } from '../domain/audit-verify';
import type { OutboxPackage } from '../domain/outbox-package';
import { type DsseEnvelope, openEnvelope, type StatementSigner, signStatement } from '../keys/dsse';
import type { RunReceipts } from './receipt-checks';

/** The predicate type of each fact a pack attests: `https://governed-campaigns.dev/evidence/<fact>/v1`. */
export function evidencePredicate(fact: 'trail' | 'receipts' | 'approval' | 'content'): string {
  return `https://governed-campaigns.dev/evidence/${fact}/v1`;
}

/** A signer of the pack's statements: its key id, Ed25519 public key (hex) and signature. */
export interface PackSigner {
  sign: StatementSigner;
  publicKeyHex: string;
}

/** The raw public key as an SPKI PEM, the form `cosign verify-blob-attestation --key` reads. */
export function ed25519PublicKeyPem(publicKeyHex: string): string {
  const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicKeyHex, 'hex')]);
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** One in-toto statement about one file of the pack. */
function statement(file: string, text: string, fact: Parameters<typeof evidencePredicate>[0], predicate: object) {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: file, digest: { sha256: sha256(text) } }],
    predicateType: evidencePredicate(fact),
    predicate,
  };
}

/**
 * The pack's attestations, one in-toto statement in a DSSE envelope per fact an auditor asks about: the trail and its
 * head, the run's receipts and their head, each approval, and the published content with its markings. Each names the
 * pack file it is about by its SHA-256, so `cosign verify-blob-attestation` checks file and statement together.
 */
export function packAttestations(
  campaignId: string,
  files: Record<string, string>,
  facts: { events: number; head: string; receipts: RunReceipts | null; pkg: OutboxPackage | null },
  signer: PackSigner,
): Record<string, string> {
  const out: Record<string, DsseEnvelope> = {};
  const trail = files['audit/trail.jsonl'];
  if (trail !== undefined) {
    out.trail = signStatement(
      statement('audit/trail.jsonl', trail, 'trail', {
        campaignId,
        events: facts.events,
        head: facts.head,
        // Where an RFC 3161 authority was configured, the package carries its token over the receipts' head; else
        // nothing here dates the head but the signer's clock.
        timestamp: facts.pkg?.timestamps?.head
          ? { rfc3161: facts.pkg.timestamps.authority, in: 'package.json timestamps.head' }
          : null,
      }),
      signer.sign,
    );
  }
  const receipts = files['audit/receipts.json'];
  if (receipts !== undefined && facts.receipts) {
    const last = facts.receipts.receipts.at(-1);
    out.receipts = signStatement(
      statement('audit/receipts.json', receipts, 'receipts', {
        campaignId,
        runId: facts.receipts.runId,
        count: facts.receipts.receipts.length,
        head: last ? { seq: last.seq, hash: last.hash } : null,
      }),
      signer.sign,
    );
  }
  const pkgText = files['package.json'];
  if (pkgText !== undefined && facts.pkg) {
    const { pkg } = facts;
    (pkg.approvals ?? []).forEach((a, i) => {
      out[`approval-${i + 1}`] = signStatement(
        statement('package.json', pkgText, 'approval', {
          campaignId,
          approver: a.approver,
          decision: a.decision,
          contentHash: a.contentHash,
          decidedAt: a.decidedAt ?? null,
          provenBy: a.attestation ? 'login' : a.signature ? 'signature' : 'none',
        }),
        signer.sign,
      );
    });
    out.content = signStatement(
      statement('package.json', pkgText, 'content', {
        campaignId,
        contentHash: pkg.approval.contentHash,
        approvedBy: pkg.approval.approvedBy,
        variants: (pkg.variants as Partial<MarkedCopy>[]).map((v) => ({
          id: v.id,
          sha256: copyDigest({ headline: String(v.headline ?? ''), body: String(v.body ?? '') }),
          marked: Boolean(pkg.aiContent.signed?.[String(v.id)]),
        })),
      }),
      signer.sign,
    );
  }
  return {
    ...Object.fromEntries(
      Object.entries(out).map(([name, envelope]) => [
        `attestations/${name}.dsse.json`,
        `${JSON.stringify(envelope)}\n`,
      ]),
    ),
    'trust/pack-signer.pub.pem': ed25519PublicKeyPem(signer.publicKeyHex),
  };
}

/**
 * The `attestations` line of a pack's verification: every envelope signed by a trusted key, about a file of the pack
 * as it is. A pack exported without a signing key says so.
 */
export function attestationsCheck(
  files: Record<string, string>,
  read: (path: string) => string,
  trusted: Record<string, string>,
): TrailCheck {
  const names = Object.keys(files).filter((p) => p.startsWith('attestations/') && p.endsWith('.dsse.json'));
  if (names.length === 0) {
    return { name: 'attestations', ok: true, detail: 'none: the pack was exported without a signing key' };
  }
  for (const name of names) {
    let envelope: unknown;
    try {
      envelope = JSON.parse(read(name));
    } catch {
      return { name: 'attestations', ok: false, detail: `${name} is not JSON` };
    }
    const opened = openEnvelope(envelope, trusted);
    if (!opened.ok)
      return {
        name: 'attestations',
        ok: false,
        detail: `${name}: ${opened.problem.replace('marking', 'attestation')}`,
      };
    const subjects =
      (opened.statement as { subject?: { name?: string; digest?: { sha256?: string } }[] }).subject ?? [];
    for (const subject of subjects) {
      const path = String(subject.name ?? '');
      if (!(path in files) || sha256(read(path)) !== subject.digest?.sha256) {
        return { name: 'attestations', ok: false, detail: `${name}: ${path} is not the file it attests` };
      }
    }
  }
  return {
    name: 'attestations',
    ok: true,
    detail: `${names.length} DSSE envelopes of in-toto statements, each signed by a trusted key over the pack file it names`,
  };
}
