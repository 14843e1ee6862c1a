import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { Failure } from '../domain/failures';
import { hashOf } from '../domain/hash';
import type { OutboxPackage } from '../domain/outbox-package';
import type { Published, PublishInput } from '../domain/step-inputs';
import type { ActivityDeps } from './deps';
import { folderFor } from './folders';

const AI_MARKING: Record<string, string> = {
  de: 'Dieser Inhalt wurde mit KI erstellt und von Menschen geprüft und freigegeben.',
  en: 'This content was generated with AI and reviewed and approved by people.',
};

/** The publisher agent: the only role that may call asset.publish. */
export function createPublisher({ outboxDir }: ActivityDeps) {
  return {
    /**
     * Writes the approved package to the outbox. The campaign comes from the activity's own info, never from its
     * input; a retry of the same run rewrites the same package, and any other run of the id is refused.
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
      const pkg: OutboxPackage = {
        campaign: brief.campaign,
        brand: brief.brand,
        language: brief.language,
        variants,
        aiContent: { marking, generatedBy: provenance },
        approval,
        // The signed decisions travel with the package, so anyone can check them against the roster's keys.
        approvals: decisions,
        seal: { workflowId: campaignId, runId, contentHash: approval.contentHash, auditHead },
      };
      const dir = resolve(outboxDir, folderFor(campaignId));
      if (!dir.startsWith(resolve(outboxDir) + sep)) {
        throw ApplicationFailure.nonRetryable(
          'workflow id does not map to a folder inside the outbox',
          Failure.InvalidData,
        );
      }
      mkdirSync(dir, { recursive: true });
      const outboxPath = join(dir, 'package.json');
      const earlier = publishedRun(outboxPath);
      if (earlier && earlier !== runId) {
        throw denied(`campaign ${campaignId} was already published by run ${earlier}; a campaign id publishes once`);
      }
      writeFileSync(`${outboxPath}.partial`, `${JSON.stringify(pkg, null, 2)}\n`);
      renameSync(`${outboxPath}.partial`, outboxPath);
      return { outboxPath, packageHash: hashOf(pkg) };
    },
  };
}

/** The run that wrote the package at `path`, if there is one; a package without a run id counts as another run. */
function publishedRun(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return (JSON.parse(text) as Partial<OutboxPackage>).seal?.runId ?? 'an earlier version';
  } catch {
    return 'an unreadable package';
  }
}

function denied(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, Failure.PolicyDenied);
}
