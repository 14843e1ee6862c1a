import type { Locale } from './approver-texts';
import type { AuditEvent } from './audit';
import type { Brief } from './brief';
import type { Channel } from './channels';
import type { SignedStart } from './start-request';
import type { ModelUsage, UsageReport } from './usage';

export type { ModelUsage } from './usage';

/** What starts a campaign workflow. */
export interface CampaignInput {
  brief: Brief;
  /** The person who asked for the campaign; they may never approve it. */
  requestedBy: string;
  /** Their signature over the campaign id and the brief's hash, which the planner verifies and binds the run with. */
  start?: SignedStart;
}

/** Risk class of a campaign; `high` needs two distinct approvers, one a compliance officer. */
export type RiskClass = 'standard' | 'high';

/** Who may approve, how many, and until when; fixed in history at the start of a campaign. */
export interface ApprovalPlan {
  risk: RiskClass;
  /** The brand's language for what approvers and the requester read (plans made before languages: English). */
  locale?: Locale;
  eligibleApprovers: string[];
  /** Approvers of whom at least one must take part (compliance officers for high risk). */
  mustInclude: string[];
  requiredApprovals: number;
  deadlineHours: number;
  maxChangeRounds: number;
  /** Why the plan looks as it does, for the approver and the auditor. */
  reasons: string[];
  /**
   * Whether decisions must be proven (signed by the approver's key, or stamped for their login), and what proves
   * them, from the roster when the plan was made. Absent in plans made before signed decisions existed.
   */
  signatures?: {
    required: boolean;
    keys: Record<string, string>;
    /** Each approver's login at the company's OpenID provider, from the roster (plans since logins). */
    logins?: Record<string, { issuer: string; subject: string }>;
    /** The login service keys the deployment trusts to stamp decisions typed by a logged-in person. */
    attesters?: Record<string, string>;
  };
  /** Each approver's inbox token (see `inbox.ts`); plans made before inboxes existed have none. */
  inbox?: Record<string, string>;
  /**
   * Escalation: after `slaHours` without a decision the backups join `eligibleApprovers` (in history and audit) and a
   * reminder goes out. Absent in plans made before escalation existed.
   */
  escalation?: { slaHours: number; backups: string[] };
  /** The brief's hash, and who requested the campaign and whether the planner verified their signed start. */
  briefHash?: string;
  requester?: { id: string; verified: boolean };
}

/** Counts of personal data per kind (e-mail, phone, iban, taxId, vatId, address, name); never the values. */
export type PiiCounts = Partial<Record<string, number>>;

/** Which model produced an output, from which prompt, at what cost, and what personal data was kept from it. */
export interface Provenance {
  provider: 'offline' | 'openai';
  model: string;
  promptTemplateHash: string;
  usage: ModelUsage;
  /** Personal data redacted from what the model was given, and found in what it answered. */
  privacy?: { redacted: PiiCounts; foundInOutput: PiiCounts };
  /** Passages the model was given as quoted data because they read as instructions to it. */
  injections?: ScreenedText[];
}

/** A text that read as an instruction aimed at a model: where it was, and why. */
export interface ScreenedText {
  where: string;
  reasons: string[];
}

/** What the researcher found: facts with ids and the consented audience. */
export interface Research {
  facts: { id: string; kind: string; text: string; claim: string }[];
  audience: { segment: string; purpose: string; consentedRecords: number; excludedRecords: number };
  provenance: Provenance;
  /** Retrieved facts left out because they read as instructions to the model. */
  screened?: ScreenedText[];
}

/** A key message of the creative brief and the facts that support it. */
export interface KeyMessage {
  text: string;
  factIds: string[];
}

/** The strategist's structured creative brief. */
export interface CreativeBrief {
  objective: string;
  audience: string;
  keyMessages: KeyMessage[];
  channels: Channel[];
  tone: string;
  kpis: string[];
  provenance: Provenance;
}

/** One piece of copy for one channel, with the facts it cites. */
export interface Variant {
  id: string;
  channel: Channel;
  headline: string;
  body: string;
  factIds: string[];
}

/** The copywriter's output for one round. */
export interface VariantSet {
  round: number;
  variants: Variant[];
  provenance: Provenance;
  /** The hashes of the creative brief and the research the copywriter wrote from (absent before receipts). */
  basedOn?: { creativeBrief: string; research: string };
}

/** A problem the reviewer found; `blocking` findings send the copy back. */
export interface ReviewFinding {
  variantId: string;
  kind:
    | 'unsupported-number'
    | 'unsupported-comparison'
    | 'banned-phrase'
    | 'missing-disclaimer'
    | 'pii'
    | 'markup'
    | 'injection'
    | 'channel-limit'
    | 'missing-citation'
    | 'missing-variant'
    | 'language'
    | 'key-message'
    | 'variety'
    | 'unchanged'
    | 'advisory';
  blocking: boolean;
  detail: string;
}

/** Claims found in the copy (numbers, comparisons, superlatives) and how many a cited fact supports. */
export interface ClaimCount {
  total: number;
  grounded: number;
}

/** The reviewer's report on one variant set. */
export interface ReviewReport {
  findings: ReviewFinding[];
  blocking: boolean;
  claims: ClaimCount;
  provenance: Provenance;
  /** The hash of exactly the variants reviewed (absent before receipts). */
  contentHash?: string;
}

/** What the approver sees and decides on; `contentHash` binds a decision to exactly this. */
export interface ApprovalRequest {
  round: number;
  variants: Variant[];
  findings: ReviewFinding[];
  /** How many of the copy's claims a cited fact supports. */
  claims: ClaimCount;
  contentHash: string;
  /** The facts the variants cite, with their text, for the approver; absent in requests made before they were shown. */
  facts?: { id: string; text: string }[];
}

/** An approval request as it waits at the gate: who has approved so far, and until when. */
export type PendingApproval = ApprovalRequest & { approvedBy: string[]; deadline: string };

/** How a campaign ended. */
export type CampaignOutcome =
  | { kind: 'published'; outboxPath: string; contentHash: string; approvedBy: string[] }
  | { kind: 'rejected'; reason: string; rejectedBy: string | null };

/** The workflow's result, with the audit trail it kept. */
export interface CampaignResult {
  outcome: CampaignOutcome;
  auditHead: string;
  audit: AuditEvent[];
  usage: UsageReport;
}
