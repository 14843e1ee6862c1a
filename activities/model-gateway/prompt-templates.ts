import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashOf } from '../../domain/hash';
import { MODEL_AGENTS } from '../../domain/steps';
import type { AgentRole } from './model-config';

/** One role's prompt template and the hash that goes with every call made from it. */
export interface PromptTemplate {
  role: AgentRole;
  text: string;
  hash: string;
}

/** Loads `prompts/<role>.md` for every role; a missing template stops the worker at start. */
export function loadPromptTemplates(dir: string): Record<AgentRole, PromptTemplate> {
  return Object.fromEntries(
    MODEL_AGENTS.map((role) => {
      const text = readFileSync(join(dir, `${role}.md`), 'utf8');
      return [role, { role, text, hash: hashOf(text) }];
    }),
  ) as Record<AgentRole, PromptTemplate>;
}

/** Fills `{{name}}` placeholders; strings go in as they are, anything else as JSON. An unknown placeholder throws. */
export function renderPrompt(template: PromptTemplate, variables: Record<string, unknown>): string {
  return template.text.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    if (!(name in variables))
      throw new Error(`prompts/${template.role}.md uses {{${name}}}, which the caller does not provide`);
    const value = variables[name];
    return typeof value === 'string' ? value : JSON.stringify(value, null, 1);
  });
}
