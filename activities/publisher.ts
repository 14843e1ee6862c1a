import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { type MarkingFacts, markingStatement } from '../domain/ai-marking';
import { Failure } from '../domain/failures';
import { hashOf } from '../domain/hash';
import type { OutboxPackage } from '../domain/outbox-package';
import type { Published, PublishInput } from '../domain/step-inputs';
import { type DsseEnvelope, type StatementSigner, signStatement } from '../keys/dsse';
import { timestampOver } from '../keys/timestamps';
import type { ActivityDeps } from './deps';
import { folderFor } from './folders';

const AI_MARKING: Record<string, string> = {
  de: 'Dieser Inhalt wurde mit KI erstellt und von Menschen geprüft und freigegeben.',
  en: 'This content was generated with AI and reviewed and approved by people.',
};

/** RFC 3161 tokens over the receipts' head (the UTF-8 of its hash) and over each variant's marking signature. */
async function timestampsOf(
  authority: { url: string; roots: string[] },
  head: { seq: number; hash: string } | undefined,
  signed: Record<string, DsseEnvelope>,
): Promise<NonNullable<OutboxPackage['timestamps']>> {
  const over = (data: Uint8Array) =>
    timestampOver(authority, data).catch((err: unknown) => {
      throw ApplicationFailure.retryable(
        err instanceof Error ? err.message : String(err),
        Failure.TimestampUnavailable,
      );
    });
  const variants: Record<string, { genTime: string; token: string }> = {};
  for (const [id, envelope] of Object.entries(signed)) {
    variants[id] = await over(Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64'));
  }
  return {
    authority: authority.url,
    ...(head ? { head: { seq: head.seq, hash: head.hash, ...(await over(Buffer.from(head.hash, 'utf8'))) } } : {}),
    variants,
  };
}

/** The publisher agent: the only role that may call asset.publish. */
export function createPublisher({ outboxDir, store, identity, timestamps: authority }: ActivityDeps) {
  return {
    /**
     * Writes the approved package to the outbox. The campaign comes from the activity's own info, never from its
     * input. The id is claimed in the shared publish registry first: a retry of the same run and content rewrites the
     * same package, and any other run or content is refused, on whatever machine it runs.
     */
    async publishCampaign(input: PublishInput): Promise<Published> {
      const { workflowExecution } = Context.current().info;
      const campaignId = workflowExecution?.workflowId;
      const runId = workflowExecution?.runId;
      if (!campaignId || !runId) throw denied('publishing needs a calling workflow');
      const { brief, variants, approval, decisions, auditHead, provenance } = input;
      const marking = AI_MARKING[brief.language];
      if (!marking)
        throw ApplicationFailure.nonRetryable(
          `no AI-content marking for language ${brief.language}`,
          Failure.InvalidBrief,
        );
      // The run's receipts so far, by number and hash: the seal anchors them where the package goes.
      const last = (await store.receipts.ofRun(campaignId, runId)).at(-1);
      // Each variant's machine-readable marking (EU AI Act Art. 50(2)): a statement that a model made exactly this copy,
      // with the model, the prompt and the approvals it passed, signed with this worker's key.
      const facts: MarkingFacts = {
        campaignId,
        runId,
        brand: brief.brand,
        language: brief.language,
        notice: marking,
        model: {
          provider: provenance.provider,
          name: provenance.model,
          promptTemplateHash: provenance.promptTemplateHash,
        },
        approvals: decisions
          .filter((d) => d.decision === 'approve')
          .map((d) => ({ approver: d.approver, decidedAt: d.decidedAt ?? '' })),
        contentHash: approval.contentHash,
        markedAt: new Date().toISOString(),
        ...(authority ? { timestampAuthority: authority.url } : {}),
      };
      const sign: StatementSigner = (bytes) => {
        const signed = store.workerSignature(bytes);
        if (!signed) throw denied('this worker has no key to sign the AI marking with');
        return signed;
      };
      const signed = Object.fromEntries(variants.map((v) => [v.id, signStatement(markingStatement(v, facts), sign)]));
      // Where the deployment has a timestamp authority, nothing is published without its tokens: an unreachable one
      // fails this attempt, and the activity's retries wait for it.
      const timestamps = authority ? await timestampsOf(authority, last, signed) : undefined;
      const pkg: OutboxPackage = {
        campaign: brief.campaign,
        brand: brief.brand,
        language: brief.language,
        variants,
        aiContent: { marking, generatedBy: provenance, signed },
        approval,
        // The signed decisions travel with the package, so anyone can check them against the roster's keys.
        approvals: decisions,
        seal: {
          workflowId: campaignId,
          runId,
          contentHash: approval.contentHash,
          auditHead,
          ...(last ? { receipts: { seq: last.seq, hash: last.hash } } : {}),
        },
        ...(timestamps ? { timestamps } : {}),
      };
      const dir = resolve(outboxDir, folderFor(campaignId));
      if (!dir.startsWith(resolve(outboxDir) + sep)) {
        throw ApplicationFailure.nonRetryable(
          'workflow id does not map to a folder inside the outbox',
          Failure.InvalidData,
        );
      }
      const claim = await store.publications.claim(campaignId, {
        runId,
        contentHash: approval.contentHash,
        publishedBy: identity,
      });
      if (claim.kind === 'taken') {
        const by = claim.by.runId === runId ? 'this run, with other content' : `run ${claim.by.runId}`;
        throw denied(`campaign ${campaignId} was already published by ${by}; a campaign id publishes once`);
      }
      mkdirSync(dir, { recursive: true });
      const outboxPath = join(dir, 'package.json');
      writeFileSync(`${outboxPath}.partial`, `${JSON.stringify(pkg, null, 2)}\n`);
      renameSync(`${outboxPath}.partial`, outboxPath);
      return { outboxPath, packageHash: hashOf(pkg) };
    },
  };
}

function denied(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, Failure.PolicyDenied);
}
