import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createFileDataStore } from '../activities/data-store';
import { PROJECT_ROOT } from '../config/paths';
import { Failure } from '../domain/failures';

function copyOfExamples(): string {
  const dir = mkdtempSync(join(tmpdir(), 'campaign-data-'));
  cpSync(resolve(PROJECT_ROOT, 'examples'), dir, { recursive: true });
  return dir;
}

function failureOf(fn: () => unknown): ApplicationFailure {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }
  throw new Error('expected a failure');
}

describe('file data store', () => {
  it('parses a file once, hands out a frozen copy, and reads it again after an edit', () => {
    const dir = copyOfExamples();
    const data = createFileDataStore(dir);
    const first = data.knowledgeBase('stadtwerke-elbtal');
    expect(data.knowledgeBase('stadtwerke-elbtal')).toBe(first);
    expect(Object.isFrozen(first.facts[0])).toBe(true);

    const file = join(dir, 'brands/stadtwerke-elbtal/knowledge-base.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('brandName: Stadtwerke Elbtal', 'brandName: Elbtal Energie'),
    );
    expect(data.knowledgeBase('stadtwerke-elbtal').brandName).toBe('Elbtal Energie');
  });

  it('calls a missing brand an invalid brief, but an unreadable file an operator problem with its cause', () => {
    const dir = copyOfExamples();
    const data = createFileDataStore(dir);
    const unknown = failureOf(() => data.knowledgeBase('no-such-brand'));
    expect(unknown).toMatchObject({ type: Failure.InvalidBrief, nonRetryable: true });
    expect(unknown.message).toMatch(/^brand 'no-such-brand' is unknown/);

    const roster = join(dir, 'roster.yaml');
    rmSync(roster);
    mkdirSync(roster);
    const unreadable = failureOf(() => data.roster());
    expect(unreadable).toMatchObject({ type: Failure.InvalidData, nonRetryable: true });
    expect(unreadable.message).toBe(`${roster} cannot be read (EISDIR)`);
    expect(unreadable.cause?.message).toMatch(/EISDIR/);
  });

  it('names the file and field of a data file that does not validate', () => {
    const dir = copyOfExamples();
    writeFileSync(join(dir, 'roster.yaml'), 'people:\n  - id: Not An Id\n    roles: [approver]\n    brands: [x]\n');
    const invalid = failureOf(() => createFileDataStore(dir).roster());
    expect(invalid).toMatchObject({ type: Failure.InvalidData });
    expect(invalid.message).toMatch(/roster\.yaml is invalid: people\.0\.id: /);
  });
});
