import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/paths';
import { CAMPAIGN_WORKFLOW_TYPE } from '../domain/workflow-type';
import { runCli } from './support/run-cli';

function policyCopy(extra?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cli-policies-'));
  cpSync(resolve(PROJECT_ROOT, 'policies'), dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  if (extra) writeFileSync(join(dir, 'extra.cedar'), extra);
  return dir;
}

describe('policy tools', () => {
  it('runs the golden decision table: all rows hold, and a loosened policy is named row by row', async () => {
    const ok = await runCli(['policy', 'test']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^(\d+) of \1 decisions as the table expects/m);
    const loose = await runCli([
      'policy',
      'test',
      '--policies',
      policyCopy('@id("open")\npermit (principal, action == Action::"asset.publish", resource);\n'),
      '--table',
      resolve(PROJECT_ROOT, 'policies/decisions.yaml'),
    ]);
    expect(loose.code).toBe(1);
    expect(loose.stdout).toContain('MISMATCH copywriter → asset.publish');
  });

  it('explains a decision with the policies that made it', async () => {
    const run = await runCli([
      'policy',
      'explain',
      '--agent',
      'researcher',
      '--tool',
      'kb.search',
      '--context',
      JSON.stringify({
        workflowType: CAMPAIGN_WORKFLOW_TYPE,
        channels: ['display'],
        purpose: 'email-marketing',
        dataClasses: [],
        spentCents: 0,
        injectionsFlagged: 0,
      }),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('researcher → kb.search: DENY');
    expect(run.stdout).toContain('deciding policies: consent#personalised-ads-need-consent');
    const bad = await runCli([
      'policy',
      'explain',
      '--agent',
      'researcher',
      '--tool',
      'kb.search',
      '--context',
      '{not json',
    ]);
    expect(bad).toMatchObject({ code: 2, stderr: 'campaign: --context: not JSON: {not json\n' });
  });

  it('refuses a policy folder that does not validate against the schema, naming the policy', async () => {
    const run = await runCli([
      'policy',
      'validate',
      policyCopy('permit (principal, action, resource) when { context.budgetLeft > 0 };\n'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/extra#@0 does not validate against the schema: .*attribute `budgetLeft`/);
  });
});
