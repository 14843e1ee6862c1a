import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../config/paths';
import { loadPolicyEngine, PolicyLoadError } from '../policies/engine';

interface Row {
  agent: string;
  tool: string;
  expect: 'allow' | 'deny';
  context?: Record<string, string | number>;
}

const rows = parse(readFileSync(resolve(PROJECT_ROOT, 'policies/decisions.yaml'), 'utf8')) as Row[];
const engine = loadPolicyEngine(resolve(PROJECT_ROOT, 'policies'));

describe('policy matrix', () => {
  it.each(rows)('$agent → $tool: $expect', (row) => {
    const decision = engine.decide({ agent: row.agent, tool: row.tool, campaignId: 'c-1', context: row.context ?? {} });
    expect(decision.kind).toBe(row.expect);
    expect(decision.policySetHash).toMatch(/^[0-9a-f]{64}$/);
    if (decision.kind === 'allow') expect(decision.policyIds.length).toBeGreaterThan(0);
    else expect(decision.reasons.length).toBeGreaterThan(0);
  });
});

describe('loading policies', () => {
  it('fails closed on a folder without policies', () => {
    expect(() => loadPolicyEngine(mkdtempSync(join(tmpdir(), 'no-policies-')))).toThrow(PolicyLoadError);
  });

  it('refuses two policies with the same id in one file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policies-'));
    const twice =
      '@id("same")\npermit (principal, action, resource);\n@id("same")\nforbid (principal, action, resource);\n';
    writeFileSync(join(dir, 'dup.cedar'), twice);
    expect(() => loadPolicyEngine(dir)).toThrow(/two policies share the id "same"/);
  });

  it('denies when a policy errors during evaluation, even if another permits (fail closed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policies-'));
    const policies =
      '@id("allow-all")\npermit (principal, action, resource);\n@id("needs-flag")\nforbid (principal, action, resource) when { context.flag };\n';
    writeFileSync(join(dir, 'p.cedar'), policies);
    const decision = loadPolicyEngine(dir).decide({
      agent: 'researcher',
      tool: 'kb.search',
      campaignId: 'c',
      context: {},
    });
    expect(decision.kind).toBe('deny');
    expect(decision.kind === 'deny' && decision.reasons.join(' ')).toMatch(/p#needs-flag/);
  });

  it('changes the policy set hash when a policy changes, so audit events show the edit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policies-'));
    const original = readFileSync(resolve(PROJECT_ROOT, 'policies/agent-tools.cedar'), 'utf8');
    writeFileSync(join(dir, 'agent-tools.cedar'), `${original}\n// edited\n`);
    expect(loadPolicyEngine(dir).policySetHash).not.toBe(engine.policySetHash);
  });
});

describe('reloading policies', () => {
  it('picks up an edited policy file without a restart, and fails closed while the folder does not load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policies-'));
    const original = readFileSync(resolve(PROJECT_ROOT, 'policies/agent-tools.cedar'), 'utf8');
    writeFileSync(join(dir, 'agent-tools.cedar'), original);
    const live = loadPolicyEngine(dir, { recheckEveryMs: 0 });
    const request = { agent: 'strategist', tool: 'llm.generate', campaignId: 'c', context: {} };
    expect(live.decide(request).kind).toBe('allow');
    const before = live.policySetHash;

    writeFileSync(join(dir, 'agent-tools.cedar'), original.replace(/Agent::"strategist", /, ''));
    expect(live.decide(request)).toMatchObject({ kind: 'deny', reasons: ['no policy permits it'] });
    expect(live.policySetHash).not.toBe(before);

    writeFileSync(join(dir, 'broken.cedar'), 'permit (principal, action, resource) when { context.x ==');
    const broken = live.decide({ ...request, agent: 'copywriter' });
    expect(broken.kind).toBe('deny');
    expect(broken.kind === 'deny' && broken.reasons[0]).toMatch(
      /^the policy files changed and no longer load: broken.cedar/,
    );
  });
});
