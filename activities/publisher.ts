import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { Failure } from '../domain/failures';
import { hashOf } from '../domain/hash';
import type { Published, PublishInput } from '../domain/step-inputs';
import type { ActivityDeps } from './deps';

const AI_MARKING = {
  de: 'Dieser Inhalt wurde mit KI erstellt und von Menschen geprüft und freigegeben.',
  en: 'This content was generated with AI and reviewed and approved by people.',
};

/** The publisher agent: the only role that may call asset.publish. */
export function createPublisher({ outboxDir }: ActivityDeps) {
  return {
    /** Writes the approved package to the outbox; idempotent per workflow, so retries are safe. */
    async publishCampaign(input: PublishInput): Promise<Published> {
      const { workflowId, brief, variants, approval, auditHead, provenance } = input;
      const pkg = {
        campaign: brief.campaign,
        brand: brief.brand,
        language: brief.language,
        variants,
        aiContent: { marking: AI_MARKING[brief.language], generatedBy: provenance },
        approval,
        seal: { workflowId, contentHash: approval.contentHash, auditHead },
      };
      const dir = resolve(outboxDir, folderFor(workflowId));
      if (!dir.startsWith(resolve(outboxDir) + sep)) {
        throw ApplicationFailure.nonRetryable(
          `workflow id does not map to a folder inside the outbox`,
          Failure.InvalidData,
        );
      }
      mkdirSync(dir, { recursive: true });
      const outboxPath = join(dir, 'package.json');
      writeFileSync(`${outboxPath}.partial`, `${JSON.stringify(pkg, null, 2)}\n`);
      renameSync(`${outboxPath}.partial`, outboxPath);
      return { outboxPath, packageHash: hashOf(pkg) };
    },
  };
}

/**
 * The outbox folder for a workflow id: the id itself when it is a plain name, else a sanitised name plus a short hash,
 * so "a/b" and "a_b" never share a folder and ".." never leaves the outbox.
 */
export function folderFor(workflowId: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/.test(workflowId)) return workflowId;
  // A leading "_" keeps these apart from plain ids, which must start with a letter or digit.
  return `_${workflowId.replace(/[^A-Za-z0-9_-]/g, '_')}-${hashOf(workflowId).slice(0, 8)}`;
}
