import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type { CampaignInput, CampaignResult, ReviewFinding, Variant } from '../domain/campaign';
import { parseCampaignInput } from '../domain/campaign-input';
import { Failure } from '../domain/failures';
import { hashOf } from '../domain/hash';
import { BudgetStopped } from './budget-gate';
import { CampaignRun } from './campaign-run';

/** Times the reviewer may send copy back per approval request before the approver sees what remains. */
const MAX_REVIEW_SEND_BACKS = 1;

/** A campaign from brief to outbox: plan, research, brief, variants, review, approval gate, publish. */
export async function campaignWorkflow(raw: CampaignInput): Promise<CampaignResult> {
  // Anyone who can start a workflow can hand it anything: the same checks as the CLI, failing at once and for good.
  const checked = parseCampaignInput(raw);
  if (!checked.ok)
    throw ApplicationFailure.nonRetryable(`invalid campaign input: ${checked.problem}`, Failure.InvalidBrief);
  const { input } = checked;
  const run = new CampaignRun(input);
  const { brief, requestedBy, start } = input;
  try {
    // 1. Plan: who may approve is fixed in history, so a later roster edit cannot change a running campaign; the
    // planner verifies the requester's signed start and binds this run to the campaign id.
    const plan = await run.step('plan', { brief, requestedBy, ...(start ? { start } : {}) });
    run.fixPlan(plan);

    // 2. Research: facts with ids, and only the audience whose consent covers the purpose.
    const research = await run.step('research', { brief });

    // 3. Brief: key messages tied to fact ids.
    const creativeBrief = await run.step('brief', { brief, research });

    let feedback: string[] = [];
    let approverFeedback: string[] = [];
    let sendBacks = 0;
    for (let round = 1; ; round++) {
      // 4. Variants, per channel, citing facts.
      const written = await run.step('variants', { brief, creativeBrief, research, round, feedback });

      // 5. Review: blocking findings go back to the copywriter, within bounds; what remains goes to the approver.
      const review = await run.step('review', {
        brief,
        variants: written.variants,
        research,
        ...(run.lastChangeRequest ? { changeRequest: run.lastChangeRequest } : {}),
      });
      if (review.blocking && sendBacks < MAX_REVIEW_SEND_BACKS) {
        sendBacks += 1;
        // The approver's request stays in the brief for the rewrite, next to the reviewer's findings.
        feedback = [...approverFeedback, ...review.findings.filter((f) => f.blocking).map(describeFinding)];
        continue;
      }
      sendBacks = 0;

      // 6. Approval gate: a decision bound to the hash of exactly this content.
      const contentHash = hashOf(written.variants);
      const { variants, provenance } = written;
      const outcome = await run.decide({
        round,
        variants,
        findings: review.findings,
        claims: review.claims,
        contentHash,
        facts: citedFacts(variants, research.facts),
      });
      switch (outcome.kind) {
        case 'approved': {
          // 7. Publish: only with the approval bound to the content hash.
          const approval = { contentHash, approvedBy: outcome.approvedBy, requiredApprovals: plan.requiredApprovals };
          const { workflowId } = workflowInfo();
          const auditHead = run.audit.head;
          // With receipts the publisher is shown the steps' outputs, which it matches to their receipts; it trusts nothing else.
          const evidence = run.patches.receipts
            ? { evidence: { plan: run.madePlan, research, creativeBrief, written, review } }
            : {};
          const published = await run.step('publish', {
            workflowId,
            brief,
            requestedBy,
            variants,
            approval,
            decisions: outcome.approvals,
            auditHead,
            provenance,
            ...evidence,
          });
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
          // The next round's details show the request and what changed against it (no command: details only).
          run.rememberChangeRequest({
            round,
            by: outcome.by,
            feedback: outcome.feedback,
            variants: variants.map(({ channel, headline, body }) => ({ channel, headline, body })),
          });
          break;
        default:
          return outcome satisfies never;
      }
    }
  } catch (err) {
    // An approver stopped the campaign at its budget (or nobody raised it in time): a decision, not a failure.
    if (err instanceof BudgetStopped) return run.finish({ kind: 'rejected', reason: err.message, rejectedBy: err.by });
    await run.recordFailure(err);
    throw err;
  }
}

/** The facts the variants cite, with their text, for the approver to check the copy against. */
function citedFacts(variants: Variant[], facts: { id: string; text: string }[]): { id: string; text: string }[] {
  const cited = new Set(variants.flatMap((v) => v.factIds));
  return facts.filter((f) => cited.has(f.id)).map(({ id, text }) => ({ id, text }));
}

function describeFinding(finding: ReviewFinding): string {
  return `${finding.variantId}: ${finding.kind}: ${finding.detail}`;
}
