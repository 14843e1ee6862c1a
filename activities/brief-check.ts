import { closest, distance } from 'fastest-levenshtein';
import type { Brief } from '../domain/brief';
import { ApprovalPlanError, resolveApprovalPlan } from '../policies/approval-plan';
import type { DataStore } from './data-store';

/** `input`'s nearest among `candidates`, when it is near enough to be a typo of it; else undefined. */
export function nearestId(input: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(input, [...candidates]);
  return distance(input, best) <= Math.max(2, Math.floor(input.length / 4)) ? best : undefined;
}

function unknown(what: string, input: string, candidates: readonly string[], where = 'known here'): string {
  const near = nearestId(input, candidates);
  return `${what} '${input}' is not ${where}${near ? ` (did you mean ${near}?)` : ''}`;
}

/**
 * Why `brief`, requested by `requestedBy`, cannot run on `data`, in one line; null when it can. The checks the planner
 * makes when the campaign starts (the brand, the segment, the requester and the approvers the plan needs), and that
 * someone in the segment consented to the brief's purpose; so a start can be refused at the door instead of failing
 * in its first step. The planner stays the point of effect: this is a courtesy to the person starting.
 */
export function briefDataProblem(
  data: DataStore,
  brief: Brief,
  requestedBy: string,
  login: { issuer: string | undefined; attesters: Record<string, string> },
  /** Whether to check that enough approvers can sign: only where this machine holds the deployment's trust lists. */
  options: { signers?: boolean } = {},
): string | null {
  try {
    const roster = data.roster();
    if (!roster.people.some((p) => p.id === requestedBy)) {
      return unknown(
        'requester',
        requestedBy,
        roster.people.map((p) => p.id),
        'in the roster',
      );
    }
    if (!data.brands().includes(brief.brand)) return unknown('brief.brand', brief.brand, data.brands(), 'a brand here');
    data.knowledgeBase(brief.brand);
    const segments = data.segmentIds(brief.brand);
    if (!segments.includes(brief.audience.segment)) {
      return unknown('brief.audience.segment', brief.audience.segment, segments, `a segment of brand '${brief.brand}'`);
    }
    const segment = data.segment(brief.brand, brief.audience.segment);
    const governance = data.governance(brief.brand);
    resolveApprovalPlan(
      brief,
      requestedBy,
      roster,
      segment,
      options.signers === false ? { ...governance, requireSignedDecisions: false } : governance,
      login,
    );
    const { purpose } = brief.audience;
    if (!segment.records.some((r) => r.consent.includes(purpose))) {
      return `brief.audience: nobody in segment '${segment.id}' consented to ${purpose}, so the campaign would reach no one`;
    }
    return null;
  } catch (err) {
    if (err instanceof ApprovalPlanError) return err.message;
    return err instanceof Error ? err.message : String(err);
  }
}
