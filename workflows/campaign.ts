import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CampaignInput, CampaignResult, ReviewFinding } from '../domain/campaign';
import { hashOf } from '../domain/hash';
import { CampaignRun } from './campaign-run';
import { AGENT_STEP, MODEL_STEP, PUBLISH_STEP } from './step-options';

const { planCampaign } = proxyActivities<Activities>(AGENT_STEP);
const { researchFacts, draftCreativeBrief, writeVariants, reviewVariants } = proxyActivities<Activities>(MODEL_STEP);
const { publishCampaign } = proxyActivities<Activities>(PUBLISH_STEP);

/** Times the reviewer may send copy back per approval request before the approver sees what remains. */
const MAX_REVIEW_SEND_BACKS = 1;

/** A campaign from brief to outbox: plan, research, brief, variants, review, approval gate, publish. */
export async function campaignWorkflow(input: CampaignInput): Promise<CampaignResult> {
  const run = new CampaignRun(input);
  const { brief, requestedBy } = input;
  let step = 'plan';
  try {
    // 1. Plan: who may approve is fixed in history, so a later roster edit cannot change a running campaign.
    run.enter('planning');
    const plan = await planCampaign({ brief, requestedBy });
    run.recordStep(step, 'orchestrator', 'roster.read', brief, plan);
    const gate = run.fixPlan(plan);

    // 2. Research: facts with ids, and only the audience whose consent covers the purpose.
    run.enter('researching');
    step = 'research';
    const research = await researchFacts({ brief });
    run.recordStep(step, 'researcher', 'kb.search', brief, research, research.provenance);

    // 3. Brief: key messages tied to fact ids.
    run.enter('briefing');
    step = 'brief';
    const creativeBrief = await draftCreativeBrief({ brief, research });
    run.recordStep(step, 'strategist', 'llm.generate', research, creativeBrief, creativeBrief.provenance);

    let feedback: string[] = [];
    let approverFeedback: string[] = [];
    let sendBacks = 0;
    for (let round = 1; ; round++) {
      // 4. Variants, per channel, citing facts.
      run.enter('writing');
      step = 'variants';
      const written = await writeVariants({ brief, creativeBrief, research, round, feedback });
      run.recordStep(step, 'copywriter', 'llm.generate', { creativeBrief, feedback }, written, written.provenance);

      // 5. Review: blocking findings go back to the copywriter, within bounds; what remains goes to the approver.
      run.enter('reviewing');
      step = 'review';
      const review = await reviewVariants({ brief, variants: written.variants, research });
      run.recordStep(step, 'reviewer', 'content.review', written.variants, review, review.provenance);
      if (review.blocking && sendBacks < MAX_REVIEW_SEND_BACKS) {
        sendBacks += 1;
        // The approver's request stays in the brief for the rewrite, next to the reviewer's findings.
        feedback = [...approverFeedback, ...review.findings.filter((f) => f.blocking).map(describeFinding)];
        continue;
      }
      sendBacks = 0;

      // 6. Approval gate: a decision bound to the hash of exactly this content.
      step = 'approval';
      const contentHash = hashOf(written.variants);
      const request = {
        round,
        variants: written.variants,
        findings: review.findings,
        claims: review.claims,
        contentHash,
      };
      const decision = gate.decide(request);
      run.enter('awaiting-approval');
      const outcome = await decision;
      switch (outcome.kind) {
        case 'approved': {
          // 7. Publish: only with the approval bound to the content hash.
          run.enter('publishing');
          step = 'publish';
          const approval = { contentHash, approvedBy: outcome.approvedBy, requiredApprovals: plan.requiredApprovals };
          const { workflowId } = workflowInfo();
          const publishInput = {
            workflowId,
            brief,
            variants: written.variants,
            approval,
            auditHead: run.audit.head,
            provenance: written.provenance,
          };
          const published = await publishCampaign(publishInput);
          run.recordStep(step, 'publisher', 'asset.publish', approval, published);
          return run.finish({
            kind: 'published',
            outboxPath: published.outboxPath,
            contentHash,
            approvedBy: outcome.approvedBy,
          });
        }
        case 'rejected':
          return run.finish({ kind: 'rejected', reason: outcome.reason, rejectedBy: outcome.by });
        case 'expired':
          return run.finish({
            kind: 'rejected',
            reason: `approval deadline ${outcome.deadline} passed`,
            rejectedBy: null,
          });
        case 'changes-requested':
          // The gate refuses a request beyond the plan's change rounds, so this loop is bounded.
          approverFeedback = [outcome.feedback];
          feedback = approverFeedback;
          break;
        default:
          return outcome satisfies never;
      }
    }
  } catch (err) {
    run.recordFailure(step, err);
    throw err;
  }
}

function describeFinding(finding: ReviewFinding): string {
  return `${finding.variantId}: ${finding.kind}: ${finding.detail}`;
}
