import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileDataStore } from '../activities/data-store';
import { PROJECT_ROOT } from '../config/paths';
import { ApprovalPlanError, resolveApprovalPlan } from '../policies/approval-plan';
import { GOOD_BRIEF } from './support/campaign-env';

const data = createFileDataStore(resolve(PROJECT_ROOT, 'examples'));
const unsigned = { requireSignedDecisions: false, approvalSlaHours: 24 };
const roster = data.roster();
const households = data.segment('stadtwerke-elbtal', 'households-elbtal');
const seniors = data.segment('stadtwerke-elbtal', 'seniors-elbtal');

describe('approval plan', () => {
  it('asks one approver, never the requester, for a standard campaign', () => {
    const plan = resolveApprovalPlan(GOOD_BRIEF, 'paul.richter', roster, households, unsigned);
    expect(plan).toMatchObject({ risk: 'standard', requiredApprovals: 1, mustInclude: [], deadlineHours: 72 });
    expect(plan.eligibleApprovers).toEqual(['jonas.weber', 'sara.yilmaz', 'miriam.koch']);
  });

  it('derives high risk from a sensitive segment: two approvers, one a compliance officer', () => {
    const plan = resolveApprovalPlan(GOOD_BRIEF, 'lena.vogel', roster, seniors, unsigned);
    expect(plan).toMatchObject({ risk: 'high', requiredApprovals: 2, mustInclude: ['miriam.koch'] });
  });

  it.each([
    ['someone not in the roster', 'mallory'],
    ['an approver without the requester role', 'jonas.weber'],
  ])('refuses a campaign requested by %s', (_label, requester) => {
    expect(() => resolveApprovalPlan(GOOD_BRIEF, requester, roster, households)).toThrow(ApprovalPlanError);
  });

  it('refuses a high-risk plan when the roster has no compliance officer', () => {
    const withoutCompliance = { people: roster.people.filter((p) => !p.roles.includes('compliance-officer')) };
    expect(() => resolveApprovalPlan(GOOD_BRIEF, 'lena.vogel', withoutCompliance, seniors)).toThrow(
      /too few approvers/,
    );
  });

  it('requires signing keys when the brand requires signed decisions, and fixes them in the plan', () => {
    expect(() => resolveApprovalPlan(GOOD_BRIEF, 'lena.vogel', roster, households)).toThrow(
      /requires signed decisions, but too few of its approvers have a signing key/,
    );
    const key = (n: number) => n.toString(16).padStart(64, '0');
    const keyed = { people: roster.people.map((p, i) => ({ ...p, publicKey: key(i + 1) })) };
    const plan = resolveApprovalPlan(GOOD_BRIEF, 'lena.vogel', keyed, seniors);
    expect(plan.signatures?.required).toBe(true);
    // The backups' keys too, for when they join after the SLA.
    expect(Object.keys(plan.signatures?.keys ?? {})).toEqual([...plan.eligibleApprovers, 'katrin.schulz']);
    expect(plan.escalation).toEqual({ slaHours: 24, backups: ['katrin.schulz'] });
    // A compliance officer without a key leaves a high-risk campaign without anyone who may complete it.
    const noCompliance = {
      people: keyed.people.map((p) => (p.id === 'miriam.koch' ? { ...p, publicKey: undefined } : p)),
    };
    expect(() => resolveApprovalPlan(GOOD_BRIEF, 'lena.vogel', noCompliance, seniors)).toThrow(/signing key/);
  });
});
