import {
  ApplicationFailure,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type * as activities from '../activities';
import type { ApprovalPlan, CampaignInput, CampaignResult, Provenance, ReviewFinding, Stage } from '../domain/campaign';
import { hashOf } from '../domain/hash';
import { CampaignStage } from '../domain/search-attributes';
import { type AuditEntry, AuditChain } from './audit-chain';
import { ApprovalGate } from './approval-gate';
import { renderDetails } from './details';
import { auditTrailQuery, campaignStateQuery } from './messages';
import { AGENT_STEP, MODEL_STEP, PUBLISH_STEP } from './step-options';

const { planCampaign } = proxyActivities<typeof activities>(AGENT_STEP);
const { researchFacts, reviewVariants } = proxyActivities<typeof activities>(AGENT_STEP);
const { draftCreativeBrief, writeVariants } = proxyActivities<typeof activities>(MODEL_STEP);
const { publishCampaign } = proxyActivities<typeof activities>(PUBLISH_STEP);

/** Rounds the copywriter gets to clear blocking review findings before the approver sees what remains. */
const MAX_REVIEW_ROUNDS = 2;

/** A campaign from brief to outbox: plan, research, brief, variants, review, approval gate, publish. */
export async function campaignWorkflow(input: CampaignInput): Promise<CampaignResult> {
  const { brief, requestedBy } = input;
  const audit = new AuditChain();
  let stage: Stage = 'planning';
  let plan: ApprovalPlan | null = null;
  let gate: ApprovalGate | undefined;
  const show = (next: Stage) => {
    stage = next;
    upsertSearchAttributes([{ key: CampaignStage, value: next }]);
    upsertMemo({ stage: next, requestedBy, campaign: brief.campaign, pending: gate?.pending ?? null, plan });
    setCurrentDetails(renderDetails(brief.campaign, next, plan, gate?.pending ?? null));
  };
  const record = (entry: AuditEntry, input: unknown, output: unknown) =>
    audit.append({ ...entry, inputHash: hashOf(input), outputHash: hashOf(output) });
  const agent = (id: string) => ({ kind: 'agent' as const, id, establishedBy: 'worker identity' });
  const model = (p: Provenance) => ({ provider: p.provider, model: p.model, promptTemplateHash: p.promptTemplateHash });
  setHandler(campaignStateQuery, () => ({ stage, requestedBy, plan, pending: gate?.pending ?? null, auditHead: audit.head }));
  setHandler(auditTrailQuery, () => audit.events);

  show('planning');
  audit.append({ step: 'start', actor: { kind: 'person', id: requestedBy, establishedBy: 'start request' }, action: 'request', outcome: 'ok', inputHash: hashOf(brief) });
  plan = await planCampaign({ brief, requestedBy });
  record({ step: 'plan', actor: agent('orchestrator'), action: 'roster.read', outcome: 'ok', detail: { risk: plan.risk } }, brief, plan);
  gate = new ApprovalGate(plan, requestedBy, audit);

  show('researching');
  const research = await researchFacts({ brief });
  record({ step: 'research', actor: agent('researcher'), action: 'kb.search', outcome: 'ok', model: model(research.provenance) }, brief, research);

  show('briefing');
  const creativeBrief = await draftCreativeBrief({ brief, research });
  record({ step: 'brief', actor: agent('strategist'), action: 'llm.generate', outcome: 'ok', model: model(creativeBrief.provenance) }, research, creativeBrief);

  let feedback: string[] = [];
  for (let round = 1; ; round++) {
    show('writing');
    const written = await writeVariants({ brief, creativeBrief, research, round, feedback });
    record({ step: 'variants', actor: agent('copywriter'), action: 'llm.generate', outcome: 'ok', model: model(written.provenance) }, { creativeBrief, feedback }, written);

    show('reviewing');
    const review = await reviewVariants({ brief, variants: written.variants, research });
    record({ step: 'review', actor: agent('reviewer'), action: 'content.review', outcome: 'ok', detail: { findings: review.findings.length, blocking: review.blocking } }, written.variants, review);
    if (review.blocking && round < MAX_REVIEW_ROUNDS) {
      feedback = review.findings.filter((f) => f.blocking).map(describeFinding);
      continue;
    }

    const request = { round, variants: written.variants, findings: review.findings, contentHash: hashOf(written.variants) };
    const decision = gate.decide(request);
    show('awaiting-approval');
    const outcome = await decision;
    switch (outcome.kind) {
      case 'approved': {
        show('publishing');
        const approval = { contentHash: request.contentHash, approvedBy: outcome.approvedBy, requiredApprovals: plan.requiredApprovals };
        const published = await publishCampaign({ workflowId: workflowInfo().workflowId, brief, variants: request.variants, approval, auditHead: audit.head, provenance: written.provenance });
        record({ step: 'publish', actor: agent('publisher'), action: 'asset.publish', outcome: 'ok', detail: { approvedBy: outcome.approvedBy } }, approval, published);
        show('published');
        return { outcome: { kind: 'published', outboxPath: published.outboxPath, contentHash: request.contentHash, approvedBy: outcome.approvedBy }, auditHead: audit.head, audit: audit.events };
      }
      case 'rejected':
      case 'expired': {
        const reason = outcome.kind === 'rejected' ? outcome.reason : `approval deadline ${outcome.deadline} passed`;
        const by = outcome.kind === 'rejected' ? outcome.by : null;
        audit.append({ step: 'approval', actor: { kind: 'system', id: 'approval-gate', establishedBy: 'workflow' }, action: 'close', outcome: 'ok', detail: { result: outcome.kind } });
        show('rejected');
        return { outcome: { kind: 'rejected', reason, rejectedBy: by }, auditHead: audit.head, audit: audit.events };
      }
      case 'changes-requested':
        if (round >= plan.maxChangeRounds) {
          show('failed');
          throw ApplicationFailure.nonRetryable(`changes requested after ${round} rounds; the plan allows ${plan.maxChangeRounds}`, 'ChangeRoundsExhausted');
        }
        log.info('changes requested', { round });
        feedback = [outcome.feedback];
        break;
      default:
        return outcome satisfies never;
    }
  }
}

function describeFinding(finding: ReviewFinding): string {
  return `${finding.variantId}: ${finding.kind}: ${finding.detail}`;
}
