import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelConfig } from '../activities/model-gateway/model-config';
import { grantFor } from '../activities/tool-grants';
import { PROJECT_ROOT } from '../config/paths';
import { MODEL_AGENTS, STEPS } from '../domain/steps';

const steps = Object.entries(STEPS);

describe('step catalogue', () => {
  it.each(steps)('%s: audits its action under one of the tools the policy check asks about', (_name, step) => {
    expect(step.tools as readonly string[]).toContain(step.auditAction);
  });

  it.each(steps)('%s: its activity has exactly the grant the catalogue gives it', (_name, step) => {
    expect(grantFor(step.activity)).toMatchObject({ agent: step.agent, tools: step.tools });
  });

  it('grants nothing to an activity the catalogue does not name (the interceptor then denies it)', () => {
    expect(grantFor('exportCustomerList')).toBeUndefined();
    expect(grantFor('__proto__')).toBeUndefined();
  });

  it('derives the model agents from the tools, and each has a prompt template and model settings', () => {
    expect(MODEL_AGENTS).toEqual(['researcher', 'strategist', 'copywriter', 'reviewer']);
    const config = loadModelConfig(resolve(PROJECT_ROOT, 'config/models.yaml'), {});
    for (const agent of MODEL_AGENTS) {
      expect(existsSync(resolve(PROJECT_ROOT, 'prompts', `${agent}.md`))).toBe(true);
      expect(config.roles[agent].model).toMatch(/^gpt-/);
    }
  });

  it('gives an agent without its own model settings the default, and refuses settings for an unknown agent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    const original = readFileSync(resolve(PROJECT_ROOT, 'config/models.yaml'), 'utf8');
    const withoutReviewer = join(dir, 'without-reviewer.yaml');
    writeFileSync(withoutReviewer, original.replace(/^ {2}reviewer:.*$/m, ''));
    const config = loadModelConfig(withoutReviewer, {});
    expect(config.roles.reviewer).toEqual({ model: 'gpt-4.1-mini', temperature: 0.2, maxOutputTokens: 800 });
    const misspelt = join(dir, 'misspelt.yaml');
    writeFileSync(misspelt, original.replace(/^ {2}reviewer:/m, '  reviewr:'));
    expect(() => loadModelConfig(misspelt, {})).toThrow(/roles\.reviewr: not an agent that calls a model/);
  });
});
