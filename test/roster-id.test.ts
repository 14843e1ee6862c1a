import { describe, expect, it } from 'vitest';
import { budgetDecisionSchema } from '../domain/budget-decision';
import { decisionSchema } from '../domain/decision';
import { personSchema } from '../domain/knowledge';
import { rosterIdSchema } from '../domain/roster-id';

// Every place that names a person by roster id, asked whether `id` is one.
const places: [string, (id: string) => boolean][] = [
  ['the roster id schema', (id) => rosterIdSchema.safeParse(id).success],
  ['a roster entry', (id) => personSchema.safeParse({ id, roles: ['approver'], brands: ['x'] }).success],
  [
    'an approval decision',
    (id) => decisionSchema.safeParse({ decision: 'approve', approver: id, contentHash: 'a'.repeat(64) }).success,
  ],
  [
    'a budget decision',
    (id) =>
      budgetDecisionSchema.safeParse({
        decision: 'stop',
        approver: id,
        reason: 'zu teuer',
        decidedAt: '2026-11-22T10:00:00Z',
      }).success,
  ],
];

describe('roster ids: the roster, decisions and budget decisions accept the same ones', () => {
  it.each([
    ['jonas.weber', true],
    ['team-2.lead', true],
    ['a', true],
    ['x'.repeat(64), true],
    ['', false],
    ['x'.repeat(65), false],
    ['Jonas.Weber', false],
    ['jonas weber', false],
    ['jonas_weber', false],
    ['jönas', false],
    ['../private', false],
  ])('%j is a roster id: %s', (id, valid) => {
    expect(places.map(([place, accepts]) => [place, accepts(id)])).toEqual(places.map(([place]) => [place, valid]));
  });
});
