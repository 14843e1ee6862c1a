import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { budgetDecisionSchema } from '../domain/budget-decision';
import { decisionSchema } from '../domain/decision';
import { brandGovernanceSchema, rosterSchema } from '../domain/knowledge';
import { describeProblem, type FieldNaming } from '../domain/problems';

const answerSchema = z.object({ factIds: z.array(z.string()).min(1), notes: z.string() }).strict();
const listSchema = z.object({ channels: z.array(z.enum(['email', 'display'])) });

function problemOf(schema: z.ZodType, value: unknown, root: string, naming?: FieldNaming): string {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected the value to be refused');
  return describeProblem(parsed.error, root, naming);
}

describe('the first problem of a failed parse, in one line', () => {
  it.each<[string, z.ZodType, unknown, string, FieldNaming | undefined, string]>([
    // As a person wrote it: the gates' refusals and the brief.
    [
      'a blank reason',
      decisionSchema,
      { decision: 'reject', approver: 'jonas.weber', contentHash: 'a'.repeat(64), reason: '  ' },
      'decision',
      undefined,
      'decision.reason: reason must say something (at least 3 characters)',
    ],
    [
      'a missing field',
      budgetDecisionSchema,
      { decision: 'stop', approver: 'jonas.weber', decidedAt: '2026-11-22T10:00:00Z' },
      'decision',
      undefined,
      'decision.reason: is required',
    ],
    [
      'an unknown field, named before what it makes look missing',
      budgetDecisionSchema,
      { decision: 'stop', approver: 'jonas.weber', decidedAt: '2026-11-22T10:00:00Z', reasn: 'zu teuer' },
      'decision',
      undefined,
      'decision: unknown field "reasn"',
    ],
    [
      'no object at all',
      budgetDecisionSchema,
      'raise',
      'decision',
      'under-root',
      'decision: Invalid input: expected object, received string',
    ],
    [
      'a list entry',
      listSchema,
      { channels: ['fax'] },
      'brief',
      undefined,
      'brief.channels[0]: Invalid option: expected one of "email"|"display"',
    ],
    // The bare path: data files, model answers, activity input.
    [
      'a roster entry',
      rosterSchema,
      { people: [{ id: 'Not An Id', roles: ['approver'], brands: ['x'] }] },
      'file',
      'dotted',
      'people.0.id: must be a roster id',
    ],
    [
      'a whole data file',
      rosterSchema,
      'people',
      'file',
      'dotted',
      'file: Invalid input: expected object, received string',
    ],
    [
      'an unknown nested field',
      brandGovernanceSchema,
      { budget: { maxCostEur: 1, maxCost: 2 } },
      'file',
      'dotted',
      'budget: unknown field "maxCost"',
    ],
    ['a model answer missing a field', answerSchema, { notes: 'x' }, 'answer', 'dotted', 'factIds: is required'],
    [
      'a model answer of the wrong shape',
      answerSchema,
      [],
      'answer',
      'dotted',
      'answer: Invalid input: expected object, received array',
    ],
  ])('names %s', (_label, schema, value, root, naming, line) => {
    expect(problemOf(schema, value, root, naming)).toBe(line);
  });
});
