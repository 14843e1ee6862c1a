import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelConfig } from '../activities/model-gateway/model-config';
import { loadPromptTemplates, renderPrompt } from '../activities/model-gateway/prompt-templates';
import { retrieveFacts } from '../activities/retrieval';
import { PROJECT_ROOT } from '../config/paths';
import { loadSettings } from '../config/settings';
import { GOOD_BRIEF } from './support/campaign-env';
import { exampleData } from './support/offline-research';

const CONFIG = resolve(PROJECT_ROOT, 'config/models.yaml');

describe('model configuration', () => {
  it.each([
    [{}, 'offline'],
    [{ OPENAI_API_KEY: 'sk-x' }, 'openai'],
    [{ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }, 'openai'],
    [{ OPENAI_API_KEY: '' }, 'offline'],
  ])('with %o the provider is %s', (env, provider) => {
    expect(loadModelConfig(CONFIG, loadSettings(env).models).provider).toBe(provider);
  });

  it('lets OPENAI_MODEL and OPENAI_API_MODE override the file for every role', () => {
    const config = loadModelConfig(
      CONFIG,
      loadSettings({ OPENAI_BASE_URL: 'http://x/v1', OPENAI_MODEL: 'llama3.1', OPENAI_API_MODE: 'chat' }).models,
    );
    expect(config.api).toBe('chat');
    expect(Object.values(config.roles).map((r) => r.model)).toEqual(['llama3.1', 'llama3.1', 'llama3.1', 'llama3.1']);
    expect(config.roles.copywriter.temperature).toBe(0.7);
  });

  it('names a bad API mode and a bad file field', () => {
    expect(() => loadSettings({ OPENAI_API_MODE: 'completions' })).toThrow(
      'OPENAI_API_MODE: Invalid option: expected one of "responses"|"chat"',
    );
    const file = join(mkdtempSync(join(tmpdir(), 'models-')), 'models.yaml');
    writeFileSync(file, readFileSync(CONFIG, 'utf8').replace('temperature: 0.7', 'temperature: 7'));
    expect(() => loadModelConfig(file, {})).toThrow(/roles.copywriter.temperature/);
  });
});

describe('prompt templates', () => {
  const templates = loadPromptTemplates(resolve(PROJECT_ROOT, 'prompts'));

  it("hashes each role's template, so an edited prompt shows in the audit trail", () => {
    const hashes = Object.values(templates).map((t) => t.hash);
    expect(new Set(hashes).size).toBe(4);
    const dir = mkdtempSync(join(tmpdir(), 'prompts-'));
    for (const t of Object.values(templates))
      writeFileSync(join(dir, `${t.role}.md`), t.role === 'copywriter' ? `${t.text}!` : t.text);
    expect(loadPromptTemplates(dir).copywriter.hash).not.toBe(templates.copywriter.hash);
    expect(loadPromptTemplates(dir).strategist.hash).toBe(templates.strategist.hash);
  });

  it('refuses to render a placeholder the caller does not provide', () => {
    expect(() => renderPrompt(templates.reviewer, { brandName: 'X' })).toThrow(
      'prompts/reviewer.md uses {{languageName}}, which the caller does not provide',
    );
  });
});

describe('retrieval', () => {
  const { facts } = exampleData.knowledgeBase('stadtwerke-elbtal');

  it('ranks the price fact first for a price brief, and always adds the voice and legal facts', () => {
    const brief = {
      ...GOOD_BRIEF,
      objective: 'Den Arbeitspreis und Grundpreis klar zeigen.',
      keyMessages: ['Preis pro kWh'],
    };
    const found = retrieveFacts(facts, brief, 2);
    expect(found[0]?.id).toBe('PRICE-1');
    expect(found.filter((f) => f.kind !== 'voice' && f.kind !== 'legal')).toHaveLength(2);
    expect(found.map((f) => f.id)).toEqual(expect.arrayContaining(['VOICE-1', 'LEGAL-1', 'LEGAL-2']));
  });

  it('finds the guarantee for a brief about it, despite inflected words', () => {
    const brief = {
      ...GOOD_BRIEF,
      objective: 'Über Preisgarantien informieren.',
      keyMessages: ['Sicherheit durch Preisgarantie'],
    };
    expect(retrieveFacts(facts, brief, 1)[0]?.id).toBe('TERM-1');
  });
});
