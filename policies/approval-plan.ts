import type { Brief } from '../domain/brief';
import type { ApprovalPlan } from '../domain/campaign';
import type { BrandGovernance, Person, Roster, Segment } from '../domain/knowledge';
import { type Login, loginOf } from '../domain/login';

/** How many times approvers may request changes; the gate refuses a further request (approve or reject then). */
export const MAX_CHANGE_ROUNDS = 3;

/** Why no plan could be made; the message names the rule that failed. */
export class ApprovalPlanError extends Error {
  override readonly name = 'ApprovalPlanError';
}

/**
 * Resolves who may approve a campaign and how many must, from the roster and the audience's sensitivity.
 * The risk class is derived, never taken from the requester, so a requester cannot lower it.
 */
export function resolveApprovalPlan(
  brief: Brief,
  requestedBy: string,
  roster: Roster,
  segment: Segment,
  governance: Pick<BrandGovernance, 'requireSignedDecisions' | 'approvalSlaHours' | 'language'> = {
    requireSignedDecisions: true,
    approvalSlaHours: 24,
  },
  /** People's logins: the deployment's issuer and the trusted login service keys (none: decisions by key only). */
  login: { issuer: string | undefined; attesters: Record<string, string> } = { issuer: undefined, attesters: {} },
): ApprovalPlan {
  const forBrand = roster.people.filter((p) => p.brands.includes(brief.brand));
  const requester = forBrand.find((p) => p.id === requestedBy);
  if (!requester?.roles.includes('requester')) {
    throw new ApprovalPlanError(`${requestedBy} is not a requester for brand '${brief.brand}' in the roster`);
  }
  const risk = segment.sensitive ? 'high' : 'standard';
  const approvers = forBrand.filter(
    (p) => p.id !== requestedBy && (p.roles.includes('approver') || p.roles.includes('compliance-officer')),
  );
  const compliance = approvers.filter((p) => p.roles.includes('compliance-officer')).map((p) => p.id);
  const requiredApprovals = risk === 'high' ? 2 : 1;
  const reasons =
    risk === 'high'
      ? [`segment '${segment.id}' is sensitive: two distinct approvers, one a compliance officer`]
      : ['standard risk: one approver other than the requester'];
  if (approvers.length < requiredApprovals || (risk === 'high' && compliance.length === 0)) {
    throw new ApprovalPlanError(`the roster has too few approvers for a ${risk}-risk campaign of '${brief.brand}'`);
  }
  const required = governance.requireSignedDecisions;
  // Backups join only when the SLA passes; they are not the requester and not already approvers.
  const backups = forBrand.filter(
    (p) => p.id !== requestedBy && p.roles.includes('backup-approver') && !approvers.includes(p),
  );
  const keys = Object.fromEntries(
    [...approvers, ...backups].flatMap((p) => (p.publicKey ? [[p.id, p.publicKey]] : [])),
  );
  // With a trusted login service, a person's login proves their decisions as well as a key does.
  const withLogins = Object.keys(login.attesters).length > 0;
  const loginOfPerson = (p: Person): Login | undefined => (withLogins ? loginOf(p, login.issuer) : undefined);
  const logins = Object.fromEntries(
    [...approvers, ...backups].flatMap((p) => {
      const l = loginOfPerson(p);
      return l ? [[p.id, l]] : [];
    }),
  );
  const keyed = approvers.filter((p) => p.publicKey || loginOfPerson(p));
  if (
    required &&
    (keyed.length < requiredApprovals || (risk === 'high' && !keyed.some((p) => compliance.includes(p.id))))
  ) {
    throw new ApprovalPlanError(
      `'${brief.brand}' requires signed decisions, but too few of its approvers have a signing key or a login in the ` +
        'roster (`npx campaign keys new --as ID` creates a key)',
    );
  }
  return {
    risk,
    ...(governance.language ? { locale: governance.language } : {}),
    eligibleApprovers: approvers.map((p) => p.id),
    mustInclude: risk === 'high' ? compliance : [],
    requiredApprovals,
    deadlineHours: brief.approvalDeadlineHours,
    maxChangeRounds: MAX_CHANGE_ROUNDS,
    reasons: required ? [...reasons, "decisions must be signed with the approver's key"] : reasons,
    // Plans of deployments without logins keep the shape they had, so their hash does not change.
    signatures: {
      required,
      keys,
      ...(Object.keys(logins).length > 0 ? { logins, attesters: login.attesters } : {}),
    },
    escalation: { slaHours: governance.approvalSlaHours, backups: backups.map((p) => p.id) },
  };
}
