import { describe, expect, it } from 'vitest';
import {
  approversWithBackups,
  type DecidingOn,
  deciderRefusal,
  type GateState,
  mayApprove,
  mayDecide,
  mayDecideBudget,
  refusalOf,
} from '../domain/approval-rules';
import type { ApprovalPlan, ReviewFinding } from '../domain/campaign';
import type { Decision } from '../domain/decision';

const HASH = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const highRisk: ApprovalPlan = {
  risk: 'high',
  eligibleApprovers: ['jonas.weber', 'sara.yilmaz', 'miriam.koch'],
  mustInclude: ['miriam.koch'],
  requiredApprovals: 2,
  deadlineHours: 72,
  maxChangeRounds: 3,
  reasons: [],
};
const blocking: ReviewFinding = { variantId: 'email-1', kind: 'unsupported-number', blocking: true, detail: '"9" ...' };

function gate(approvedBy: string[] = [], overrides: Partial<GateState> = {}): GateState {
  return {
    plan: highRisk,
    requestedBy: 'lena.vogel',
    pending: { round: 1, contentHash: HASH, findings: [], approvedBy },
    changesUsed: 0,
    ...overrides,
  };
}
const approve = (approver: string, contentHash = HASH): Decision => ({ decision: 'approve', approver, contentHash });

describe('approval rules: the gate and the inbox ask the same functions', () => {
  it.each([
    [
      'nothing pending',
      gate([], { pending: null }),
      approve('jonas.weber'),
      'no approval is pending for this campaign',
    ],
    [
      'another content hash',
      gate(),
      approve('jonas.weber', OTHER),
      'contentHash does not match the content awaiting approval (round 1); reload Current Details',
    ],
    [
      'the requester',
      gate([], { requestedBy: 'jonas.weber' }),
      approve('jonas.weber'),
      'jonas.weber requested this campaign and may not decide on it',
    ],
    [
      'someone outside the plan',
      gate(),
      approve('mallory'),
      "mallory is not an approver in this campaign's plan (jonas.weber, sara.yilmaz, miriam.koch)",
    ],
    [
      'a second approval by the same person',
      gate(['jonas.weber']),
      approve('jonas.weber'),
      'jonas.weber has already approved this content',
    ],
    [
      'the completing approval without the compliance officer',
      gate(['jonas.weber']),
      approve('sara.yilmaz'),
      'one of the approvals must come from: miriam.koch',
    ],
    [
      'an approval while a blocking finding stands',
      gate([], { pending: { round: 1, contentHash: HASH, findings: [blocking], approvedBy: [] } }),
      approve('miriam.koch'),
      'the content has 1 blocking review finding(s); request changes or reject',
    ],
    [
      'a fourth change request',
      gate([], { changesUsed: 3 }),
      { decision: 'request-changes', approver: 'jonas.weber', contentHash: HASH, feedback: 'kürzer' } as Decision,
      'all 3 change rounds are used; approve or reject',
    ],
  ])('refuses %s', (_label, state, decision, reason) => {
    expect(refusalOf(state, decision)).toBe(reason);
  });

  it.each([
    ['a first approval by any approver', gate(), approve('jonas.weber')],
    ['the completing approval by the compliance officer', gate(['jonas.weber']), approve('miriam.koch')],
    [
      'a rejection while a blocking finding stands',
      gate([], { pending: { round: 1, contentHash: HASH, findings: [blocking], approvedBy: [] } }),
      { decision: 'reject', approver: 'sara.yilmaz', contentHash: HASH, reason: 'nein' } as Decision,
    ],
  ])('accepts %s', (_label, state, decision) => {
    expect(refusalOf(state, decision)).toBeNull();
  });

  it('lists who may still decide and who may approve next, as the gate would answer each of them', () => {
    expect(mayDecide(gate())).toEqual(['jonas.weber', 'sara.yilmaz', 'miriam.koch']);
    expect(mayApprove(gate())).toEqual(['jonas.weber', 'sara.yilmaz', 'miriam.koch']);
    // After a first approval by someone else, only the compliance officer can complete the count.
    expect(mayDecide(gate(['jonas.weber']))).toEqual(['sara.yilmaz', 'miriam.koch']);
    expect(mayApprove(gate(['jonas.weber']))).toEqual(['miriam.koch']);
    expect(
      mayApprove(gate([], { pending: { round: 1, contentHash: HASH, findings: [blocking], approvedBy: [] } })),
    ).toEqual([]);
    expect(mayDecide(gate([], { pending: null }))).toEqual([]);
  });
});

describe('the decider rule: the content gate, the budget gate and the publisher refuse the same people', () => {
  const deciders = { eligible: highRisk.eligibleApprovers, requestedBy: 'lena.vogel' };
  it.each<[string, string, DecidingOn, string | null]>([
    [
      'the requester at the content gate',
      'lena.vogel',
      'content',
      'lena.vogel requested this campaign and may not decide on it',
    ],
    [
      'the requester at the budget gate',
      'lena.vogel',
      'budget',
      'lena.vogel requested this campaign and may not decide on its budget',
    ],
    ["the requester in the publisher's evidence", 'lena.vogel', 'evidence', 'lena.vogel requested the campaign'],
    [
      'an outsider at the content gate',
      'mallory',
      'content',
      "mallory is not an approver in this campaign's plan (jonas.weber, sara.yilmaz, miriam.koch)",
    ],
    [
      'an outsider at the budget gate',
      'mallory',
      'budget',
      "mallory is not an approver in this campaign's plan (jonas.weber, sara.yilmaz, miriam.koch)",
    ],
    ["an outsider in the publisher's evidence", 'mallory', 'evidence', 'mallory is not an approver in the plan'],
    ['an approver of the plan at the content gate', 'jonas.weber', 'content', null],
    ['an approver of the plan at the budget gate', 'sara.yilmaz', 'budget', null],
    ["an approver of the plan in the publisher's evidence", 'miriam.koch', 'evidence', null],
  ])('answers %s', (_label, person, on, refusal) => {
    expect(deciderRefusal(person, deciders, on)).toBe(refusal);
  });

  it('refuses a requester even when the plan names them', () => {
    const self = { eligible: ['lena.vogel', 'jonas.weber'], requestedBy: 'lena.vogel' };
    expect(deciderRefusal('lena.vogel', self, 'budget')).toBe(
      'lena.vogel requested this campaign and may not decide on its budget',
    );
  });

  it('lets every approver in the plan but the requester decide on the budget', () => {
    expect(mayDecideBudget(highRisk, 'lena.vogel')).toEqual(['jonas.weber', 'sara.yilmaz', 'miriam.koch']);
    expect(mayDecideBudget(highRisk, 'sara.yilmaz')).toEqual(['jonas.weber', 'miriam.koch']);
    expect(mayDecideBudget(highRisk, undefined)).toEqual(['jonas.weber', 'sara.yilmaz', 'miriam.koch']);
  });

  it('counts the backups who join after the SLA among those who may come to decide', () => {
    expect(approversWithBackups(highRisk)).toEqual(highRisk.eligibleApprovers);
    const escalating = { ...highRisk, escalation: { slaHours: 24, backups: ['tobias.brandt'] } };
    expect(approversWithBackups(escalating)).toEqual(['jonas.weber', 'sara.yilmaz', 'miriam.koch', 'tobias.brandt']);
  });
});

describe('approval rules in the brand language, and logins as proof', () => {
  const german: ApprovalPlan = { ...highRisk, locale: 'de' };
  it.each([
    [
      'the requester',
      gate([], { plan: german, requestedBy: 'jonas.weber' }),
      approve('jonas.weber'),
      'jonas.weber hat diese Kampagne beauftragt und darf nicht darüber entscheiden',
    ],
    [
      'a second approval',
      gate(['jonas.weber'], { plan: german }),
      approve('jonas.weber'),
      'jonas.weber hat diesen Inhalt bereits freigegeben',
    ],
    [
      'another content hash',
      gate([], { plan: german }),
      approve('jonas.weber', OTHER),
      'contentHash passt nicht zum Inhalt, der auf Freigabe wartet (Runde 1); Current Details neu laden',
    ],
    [
      'no compliance approval',
      gate(['jonas.weber'], { plan: german }),
      approve('sara.yilmaz'),
      'eine der Freigaben muss kommen von: miriam.koch',
    ],
  ])('refuses %s in German for a German brand', (_label, state, decision, message) => {
    expect(refusalOf(state, decision)).toBe(message);
  });

  it('takes a login in the plan as proof where signatures are required, and refuses someone with neither', () => {
    const plan: ApprovalPlan = {
      ...highRisk,
      signatures: {
        required: true,
        keys: { 'sara.yilmaz': 'ab'.repeat(32) },
        logins: { 'jonas.weber': { issuer: 'https://login.example.com', subject: 'jonas.weber' } },
        attesters: {},
      },
    };
    expect(refusalOf(gate([], { plan }), approve('jonas.weber'))).toBeNull();
    expect(refusalOf(gate([], { plan }), approve('sara.yilmaz'))).toBeNull();
    expect(refusalOf(gate([], { plan }), approve('miriam.koch'))).toBe(
      "miriam.koch has no signing key in this campaign's plan, so their decision cannot be verified",
    );
  });
});
