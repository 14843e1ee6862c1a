import { z } from 'zod';
import { approversWithBackups, deciderRefusal } from '../domain/approval-rules';
import { briefSchema } from '../domain/brief';
import { type Decision, decisionSchema } from '../domain/decision';
import { hashOf } from '../domain/hash';
import { describeProblem } from '../domain/problems';
import { rosterIdSchema } from '../domain/roster-id';
import { signatureRefusal } from '../domain/signatures';
import { ApprovalPlanError, resolveApprovalPlan } from '../policies/approval-plan';
import type { DataStore } from './data-store';

/** What the publisher's policy check sees: facts established here, outside the workflow, from evidence. */
export interface PublishEvidence {
  /** Hash of the variants about to be published, computed here. */
  contentHash: string;
  /** The content hash the caller says was approved. */
  approvedContentHash: string;
  /** Distinct approvers whose approval of exactly this content verifies (signature, plan, not the requester). */
  verifiedApprovals: number;
  /** Approvals the plan needs, recomputed from the roster and the brief here, never taken from the caller. */
  requiredApprovals: number;
  /** Whether one of the verified approvers is a required signer (a compliance officer for high risk). */
  requiredSignerPresent: boolean;
  /** Why evidence was discounted, for the denial message and the log; never personal data beyond roster ids. */
  problems: string[];
}

const evidenceInput = z.object({
  brief: briefSchema,
  requestedBy: rosterIdSchema,
  variants: z.array(z.unknown()).min(1),
  approval: z.object({ contentHash: z.string() }),
  decisions: z.array(z.unknown()),
});

/**
 * Checks the publisher's input against what a caller cannot make up. The campaign id comes from the activity's own
 * info; the plan is recomputed from the roster this worker reads; each approval must name this content and, where the
 * brand requires it, carry a valid signature by the approver's roster key made for this campaign.
 */
export function publishEvidence(input: unknown, campaignId: string, data: DataStore): PublishEvidence {
  const parsed = evidenceInput.safeParse(input);
  if (!parsed.success) return none(`publish input: ${describeProblem(parsed.error, 'input', 'dotted')}`);
  const { brief, requestedBy, variants, approval, decisions } = parsed.data;
  const contentHash = hashOf(variants);
  let plan: ReturnType<typeof resolveApprovalPlan>;
  try {
    plan = resolveApprovalPlan(
      brief,
      requestedBy,
      data.roster(),
      data.segment(brief.brand, brief.audience.segment),
      data.governance(brief.brand),
    );
  } catch (err) {
    if (err instanceof ApprovalPlanError) return none(`no approval plan: ${err.message}`, contentHash);
    throw err;
  }
  const problems: string[] = [];
  const verified = new Set<string>();
  for (const raw of decisions) {
    const decision = decisionSchema.safeParse(raw);
    if (!decision.success) {
      problems.push('an approval is not a well-formed decision');
      continue;
    }
    const refusal = approvalRefusal(decision.data, { campaignId, contentHash, requestedBy, plan });
    if (refusal) problems.push(refusal);
    else verified.add(decision.data.approver);
  }
  const signers = [...verified];
  return {
    contentHash,
    approvedContentHash: approval.contentHash,
    verifiedApprovals: signers.length,
    requiredApprovals: plan.requiredApprovals,
    requiredSignerPresent: plan.mustInclude.length === 0 || signers.some((id) => plan.mustInclude.includes(id)),
    problems,
  };
}

function approvalRefusal(
  decision: Decision,
  context: {
    campaignId: string;
    contentHash: string;
    requestedBy: string;
    plan: ReturnType<typeof resolveApprovalPlan>;
  },
): string | null {
  const { approver } = decision;
  const { plan } = context;
  if (decision.decision !== 'approve') return `${approver}'s decision is not an approval`;
  if (decision.contentHash !== context.contentHash) return `${approver} approved other content`;
  // Backups count as the roster's approvers of the brand; that they joined only after the SLA is the gate's rule.
  const eligible = approversWithBackups(plan);
  const outsider = deciderRefusal(approver, { eligible, requestedBy: context.requestedBy }, 'evidence');
  if (outsider) return outsider;
  if (!plan.signatures?.required && !decision.signature) return null;
  // Freshness was the gate's to check when the decision arrived; here only authenticity counts.
  return signatureRefusal(context.campaignId, decision, plan.signatures?.keys[approver]);
}

function none(problem: string, contentHash = ''): PublishEvidence {
  return {
    contentHash,
    approvedContentHash: '',
    verifiedApprovals: 0,
    requiredApprovals: 1,
    requiredSignerPresent: false,
    problems: [problem],
  };
}
