// The patches of the campaign workflow, in the order they came. Each names what campaigns started from it do
// differently; histories recorded before a patch replay as they were (see test/fixtures/histories).

/**
 * Campaigns started from this patch on write search attributes and the memo only when what they show changes, and run
 * the planning step as a local activity; histories recorded before it replay as they were.
 */
export const LEAN_HISTORY_PATCH = 'lean-history';

/**
 * Campaigns started from this patch send their audit events to the audit store (in a last local activity at the
 * end; with every step only from {@link BUDGET_GATE_PATCH} on) and record the reviewer's findings in the review
 * step's event.
 */
export const AUDIT_STORE_PATCH = 'audit-store';

/**
 * Campaigns started from this patch send their audit events to the store with every step (not only at the end), and
 * wait for an approver when a model call would go over the budget instead of failing.
 */
export const BUDGET_GATE_PATCH = 'budget-gate';

/**
 * Campaigns started from this patch escalate an approval request that waits past the plan's SLA: backups join, and a
 * reminder goes out; older campaigns wait for their deadline only.
 */
export const ESCALATION_PATCH = 'escalation';

/**
 * Campaigns started from this patch schedule model steps, publishing and reminders on the task queues of their roles
 * (`<queue>-models`, `-publish`, `-data`); older ones keep everything on the campaigns' queue.
 */
export const ROLE_QUEUES_PATCH = 'role-queues';
