import type { Brief } from './brief';
import type { ApprovalPlan, CreativeBrief, Provenance, Research, ReviewReport, Variant, VariantSet } from './campaign';
import type { Decision } from './decision';
import type { SignedStart } from './start-request';

/** What the planner gets: the brief, who asked for it, and their signature over the start (where they signed). */
export interface PlanInput {
  brief: Brief;
  requestedBy: string;
  start?: SignedStart;
}

/** What the researcher gets. */
export interface ResearchInput {
  brief: Brief;
}

/** What the strategist gets: the brief and the research behind it. */
export interface BriefInput {
  brief: Brief;
  research: Research;
}

/** What the copywriter gets for one round; `feedback` holds the reviewer's or approver's points. */
export interface WriteVariantsInput {
  brief: Brief;
  creativeBrief: CreativeBrief;
  research: Research;
  round: number;
  feedback: string[];
}

/** What the reviewer checks: one round's variants against the research and the brief. */
export interface ReviewInput {
  brief: Brief;
  variants: Variant[];
  research: Research;
  /**
   * The approver's change request this copy answers, and the copy they sent back (campaigns from this build on; not
   * part of what the audit event hashes, so earlier runs' trails are unchanged).
   */
  changeRequest?: { by: string; feedback: string; variants: Pick<Variant, 'channel' | 'headline' | 'body'>[] };
}

/** The approval the publisher must present; the governance interceptor checks it against the content. */
export interface PublishApproval {
  contentHash: string;
  approvedBy: string[];
  requiredApprovals: number;
}

/** What the publisher gets; it checks all of it against evidence and takes the campaign id from its own info. */
export interface PublishInput {
  /** Kept for histories of earlier versions; the publisher ignores it. */
  workflowId: string;
  brief: Brief;
  requestedBy: string;
  variants: Variant[];
  approval: PublishApproval;
  /** The approvals as they were made (signed where the plan requires it): the evidence the publisher verifies. */
  decisions: Decision[];
  auditHead: string;
  provenance: Provenance;
  /**
   * The steps' outputs exactly as their activities returned them (campaigns with receipts): the publisher matches
   * each to its receipt and follows them from the plan to the review; none of it is trusted for being here.
   */
  evidence?: {
    plan: ApprovalPlan | null;
    research: Research;
    creativeBrief: CreativeBrief;
    written: VariantSet;
    review: ReviewReport;
  };
}

/** Where the publisher put the package, and the package's hash. */
export interface Published {
  outboxPath: string;
  packageHash: string;
}
