import { z } from 'zod';
import { approversWithBackups, deciderRefusal } from '../domain/approval-rules';
import { briefSchema } from '../domain/brief';
import type { ApprovalPlan } from '../domain/campaign';
import { type Decision, decisionSchema } from '../domain/decision';
import { identityRefusal, proofOf } from '../domain/decision-identity';
import { hashOf } from '../domain/hash';
import { describeProblem } from '../domain/problems';
import { rosterIdSchema } from '../domain/roster-id';
import { bindingRefusal } from '../domain/signatures';
import { ApprovalPlanError, resolveApprovalPlan } from '../policies/approval-plan';
import type { GovernanceStore } from '../store/governance-store';
import type { DataStore } from './data-store';
import { receiptFor, trustedReceipts } from './receipt-evidence';

/** What the publisher's policy check sees: facts established here, outside the workflow, from evidence. */
export interface PublishEvidence {
  /** Hash of the variants about to be published, computed here. */
  contentHash: string;
  /** The content hash that was reviewed and approved, as the evidence shows it. */
  approvedContentHash: string;
  /** Distinct approvers whose approval of exactly this content verifies (signature, run, plan, not the requester). */
  verifiedApprovals: number;
  /** Approvals the plan needs: the plan our planner made for this run (legacy runs: recomputed from the roster). */
  requiredApprovals: number;
  /** Whether one of the verified approvers is a required signer (a compliance officer for high risk). */
  requiredSignerPresent: boolean;
  /**
   * Whether the content is proven by receipts of this run: our planner's plan with a verified start, and the
   * research, brief, variants and review, each made by a trusted worker, each from the one before, the review clean.
   */
  contentProven: boolean;
  /** Why evidence was discounted, for the denial message and the log; never personal data beyond roster ids. */
  problems: string[];
}

/** Who is publishing, from the activity's own info, and where the evidence is. */
export interface PublishCall {
  campaignId: string;
  runId: string;
  data: DataStore;
  store: Pick<GovernanceStore, 'bindings' | 'receipts' | 'decisions'>;
  trustedKeys: Record<string, string>;
}

const evidenceInput = z.object({
  brief: briefSchema,
  requestedBy: rosterIdSchema,
  variants: z.array(z.unknown()).min(1),
  approval: z.object({ contentHash: z.string() }),
  decisions: z.array(z.unknown()),
  evidence: z
    .object({
      plan: z.record(z.string(), z.unknown()),
      research: z.unknown(),
      creativeBrief: z.unknown(),
      written: z
        .object({
          variants: z.array(z.unknown()),
          basedOn: z.object({ creativeBrief: z.string(), research: z.string() }),
        })
        .passthrough(),
      review: z.object({ contentHash: z.string(), blocking: z.boolean() }).passthrough(),
    })
    .optional(),
});
type EvidenceInput = z.infer<typeof evidenceInput>;

/**
 * Establishes, outside the workflow, what publishing may rely on. The campaign id and run come from the activity's
 * own info; the run must be the campaign's (its start verified by our planner). What the input claims counts only
 * where a receipt of this run, signed by a trusted worker, proves it: the plan, then the research, brief, variants and
 * review as a chain, each from the one before; the approvals are those the worker side recorded for this run, each
 * signed for this run, this plan and exactly this content. Runs an operator imported as in flight across the
 * upgrade to receipts (`legacy`) are judged by the earlier rules.
 */
export async function publishEvidence(input: unknown, call: PublishCall): Promise<PublishEvidence> {
  const parsed = evidenceInput.safeParse(input);
  if (!parsed.success) return none(`publish input: ${describeProblem(parsed.error, 'input', 'dotted')}`);
  const claimed = parsed.data;
  const contentHash = hashOf(claimed.variants);
  const binding = await call.store.bindings.of(call.campaignId);
  if (!binding || binding.runId !== call.runId) {
    return none(`run ${call.runId} is not campaign ${call.campaignId}`, contentHash);
  }
  if (binding.legacy) return legacyEvidence(claimed, contentHash, call);
  if (!claimed.evidence) return none('no evidence of the steps came with the content', contentHash);
  const { evidence, brief } = claimed;
  const { receipts, problems } = await trustedReceipts(call.store, call.trustedKeys, call.campaignId, call.runId);
  const plan = evidence.plan as unknown as ApprovalPlan;
  const planHash = hashOf(evidence.plan);
  const chain: [boolean, string][] = [
    [receiptFor(receipts, 'planCampaign', planHash) !== undefined, 'the plan is not one our planner made for this run'],
    [
      plan.briefHash === hashOf(brief) && binding.briefHash === hashOf(brief),
      'the brief is not the one this run was started with',
    ],
    [
      !plan.signatures?.required || plan.requester?.verified === true,
      `the start was not verified as ${plan.requester?.id ?? 'the requester'}'s`,
    ],
    [
      receiptFor(receipts, 'researchFacts', hashOf(evidence.research))?.inputHash === hashOf({ brief }),
      'no receipt of research for this brief',
    ],
    [
      receiptFor(receipts, 'draftCreativeBrief', hashOf(evidence.creativeBrief))?.inputHash ===
        hashOf({ brief, research: evidence.research }),
      'no receipt of a creative brief from that research',
    ],
    [
      receiptFor(receipts, 'writeVariants', hashOf(evidence.written)) !== undefined &&
        evidence.written.basedOn.creativeBrief === hashOf(evidence.creativeBrief) &&
        evidence.written.basedOn.research === hashOf(evidence.research),
      'no receipt of the copywriter writing these variants from that brief',
    ],
    [hashOf(evidence.written.variants) === contentHash, 'the content is not the variants the copywriter wrote'],
    [
      receiptFor(receipts, 'reviewVariants', hashOf(evidence.review)) !== undefined &&
        evidence.review.contentHash === contentHash,
      'no receipt of the reviewer reviewing exactly this content',
    ],
    [!evidence.review.blocking, 'the review of this content has blocking findings'],
  ];
  for (const [ok, problem] of chain) if (!ok) problems.push(problem);
  const contentProven = chain.every(([ok]) => ok);
  const recorded = await call.store.decisions.ofRun(call.campaignId, call.runId, 'approval');
  const verified = new Set<string>();
  for (const record of recorded) {
    const decision = decisionSchema.safeParse(record.decision);
    if (!decision.success) continue;
    const d = decision.data;
    // A rejection, or changes asked for this content, means this content is not approved, whatever else was said.
    if (d.decision === 'reject') problems.push(`${d.approver} rejected the campaign`);
    if (d.decision === 'request-changes' && d.contentHash === contentHash)
      problems.push(`${d.approver} asked for changes to this content`);
    if (d.decision !== 'approve') continue;
    const refusal =
      approvalRefusal(d, {
        campaignId: call.campaignId,
        contentHash,
        requestedBy: plan.requester?.id ?? claimed.requestedBy,
        plan,
      }) ?? (plan.signatures?.required || proofOf(d) ? bindingRefusal(d, call.runId, planHash) : null);
    if (refusal) problems.push(refusal);
    else verified.add(d.approver);
  }
  const rejected = recorded.some(
    (r) =>
      r.decision.decision === 'reject' ||
      (r.decision.decision === 'request-changes' && r.decision.contentHash === contentHash),
  );
  const signers = [...verified];
  return {
    contentHash,
    approvedContentHash: contentProven && !rejected ? contentHash : '',
    verifiedApprovals: rejected ? 0 : signers.length,
    requiredApprovals: plan.requiredApprovals,
    requiredSignerPresent: plan.mustInclude.length === 0 || signers.some((id) => plan.mustInclude.includes(id)),
    contentProven: contentProven && !rejected,
    problems,
  };
}

/** The rules before receipts, for a run an operator imported as in flight across the upgrade. */
function legacyEvidence(claimed: EvidenceInput, contentHash: string, call: PublishCall): PublishEvidence {
  const { brief, requestedBy, approval, decisions } = claimed;
  let plan: ReturnType<typeof resolveApprovalPlan>;
  try {
    plan = resolveApprovalPlan(
      brief,
      requestedBy,
      call.data.roster(),
      call.data.segment(brief.brand, brief.audience.segment),
      call.data.governance(brief.brand),
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
    const refusal = approvalRefusal(decision.data, { campaignId: call.campaignId, contentHash, requestedBy, plan });
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
    contentProven: true,
    problems,
  };
}

function approvalRefusal(
  decision: Decision,
  context: { campaignId: string; contentHash: string; requestedBy: string; plan: ApprovalPlan },
): string | null {
  const { approver } = decision;
  const { plan } = context;
  if (decision.decision !== 'approve') return `${approver}'s decision is not an approval`;
  if (decision.contentHash !== context.contentHash) return `${approver} approved other content`;
  // Backups count as the roster's approvers of the brand; that they joined only after the SLA is the gate's rule.
  const decider = deciderRefusal(
    approver,
    { eligible: approversWithBackups(plan), requestedBy: context.requestedBy },
    'evidence',
  );
  if (decider) return decider;
  // Freshness was checked when the decision was recorded; here only authenticity counts.
  return identityRefusal(context.campaignId, decision, plan.signatures);
}

function none(problem: string, contentHash = ''): PublishEvidence {
  return {
    contentHash,
    approvedContentHash: '',
    verifiedApprovals: 0,
    requiredApprovals: 1,
    requiredSignerPresent: false,
    contentProven: false,
    problems: [problem],
  };
}
