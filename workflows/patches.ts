import { patched } from '@temporalio/workflow';

// Campaigns are pinned to the build they start on (worker versioning, see docs/operations.md#versions), so a change to
// workflow code needs no patch. These patches exist for the campaigns started before versioning was the default: they
// run unversioned, move to the current build, and must replay on it. Each entry says when it can go; the rule and the
// query that checks it are in docs/operations.md#retiring-a-patch.

/** What a campaign started from each patch on does differently from one started before it; read once per run. */
export interface CampaignPatches {
  /**
   * Search attributes and the memo are written only when what they show changes, and planning runs as a local
   * activity.
   */
  readonly leanHistory: boolean;
  /**
   * Audit events go to the audit store (in a last local activity at the end, with every step only from `budgetGate`
   * on), and the review step's event records the reviewer's findings.
   */
  readonly auditStore: boolean;
  /**
   * Audit events go to the store with every step, and a model call over the budget waits for an approver instead of
   * failing the campaign.
   */
  readonly budgetGate: boolean;
  /** An approval request that waits past the plan's SLA escalates: backups join, and a reminder goes out. */
  readonly escalation: boolean;
  /** Model steps, publishing and reminders go to their roles' task queues (`<queue>-models`, `-publish`, `-data`). */
  readonly roleQueues: boolean;
  /**
   * Evidence is the worker side's: decisions are bound to the run and the plan and recorded by a local activity the
   * moment they are accepted, the publisher is handed the steps' outputs to match against their receipts, and there
   * is no decision Signal (an Update's validator runs before anything is written to history).
   */
  readonly receipts: boolean;
  /**
   * People are told when it matters: everyone who may decide when an approval request opens, the requester when the
   * campaign is published or rejected (the notifier activity, behind its policy, audited as step `notice`).
   */
  readonly notices: boolean;
  /**
   * One patch marker stands for this one and every one before it (each marker also writes a search attribute, so seven
   * of them cost fourteen history events), and the activities that record and notify run on the workflow's own task
   * queue, where the server hands them to the workflow worker with the workflow task's completion (eager dispatch).
   */
  readonly leanCommands: boolean;
}

/** One patch: its marker id in history, the flag it sets, and what its retirement waits for. */
export interface PatchSpec {
  readonly id: string;
  readonly flag: keyof CampaignPatches;
  /** The day the first build with the patch shipped: campaigns started before it run without it. */
  readonly shippedOn: string;
  /** The replay fixtures recorded before (without) the patch, which go when it goes. */
  readonly fixturesWithout: readonly string[];
  /**
   * The patch's one marker stands for every patch before it too: a campaign that records it records none of theirs.
   * Every patch is asked for in history by its own marker; these are asked first, newest first.
   */
  readonly impliesEarlier?: true;
}

/**
 * The patches in the order they came, which is also the order the markers are read in (and must stay so: a marker is
 * a command in history). A patch can go once no campaign started before versioning became the default is running
 * (`docs/operations.md#retiring-a-patch`); the versioned builds that follow all have every patch.
 */
export const PATCHES: readonly PatchSpec[] = [
  { id: 'lean-history', flag: 'leanHistory', shippedOn: '2026-11-22', fixturesWithout: ['v1', 'v2', 'v3', 'v4'] },
  {
    id: 'audit-store',
    flag: 'auditStore',
    shippedOn: '2026-11-22',
    fixturesWithout: ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'],
  },
  {
    id: 'budget-gate',
    flag: 'budgetGate',
    shippedOn: '2026-11-22',
    fixturesWithout: ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'],
  },
  {
    id: 'escalation',
    flag: 'escalation',
    shippedOn: '2026-11-22',
    fixturesWithout: ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8'],
  },
  {
    id: 'role-queues',
    flag: 'roleQueues',
    shippedOn: '2026-11-22',
    fixturesWithout: ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8'],
  },
  {
    id: 'receipts',
    flag: 'receipts',
    shippedOn: '2026-12-01',
    fixturesWithout: ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9'],
  },
  {
    id: 'notices',
    flag: 'notices',
    shippedOn: '2026-12-01',
    fixturesWithout: ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9', 'v10'],
  },
  {
    id: 'lean-commands',
    flag: 'leanCommands',
    shippedOn: '2026-12-01',
    impliesEarlier: true,
    fixturesWithout: ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9', 'v10', 'v11', 'v12', 'v13'],
  },
];

/** The patches whose marker stands for those before them, newest first, with their place in {@link PATCHES}. */
const UMBRELLAS = PATCHES.flatMap((spec, index) => (spec.impliesEarlier ? [{ spec, index }] : [])).reverse();

/**
 * The patches this run has: every one for a campaign started now, only those it started with for older ones. The
 * newest umbrella patch in the run's history sets every patch up to it; the patches after it are asked one by one. A
 * history without an umbrella's marker answers false and records nothing, so older campaigns then read their own
 * markers, one per patch, in the order they always did.
 */
export function patchesOfThisRun(): CampaignPatches {
  const flags = {} as Record<keyof CampaignPatches, boolean>;
  for (const { spec, index } of UMBRELLAS) {
    if (!patched(spec.id)) continue;
    for (const [i, { id, flag }] of PATCHES.entries()) flags[flag] = i <= index ? true : patched(id);
    return Object.freeze(flags);
  }
  for (const { id, flag, impliesEarlier } of PATCHES) flags[flag] = impliesEarlier ? false : patched(id);
  return Object.freeze(flags);
}
