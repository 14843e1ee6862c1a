import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../config/paths';
import { runCli } from './support/run-cli';

const rows = parse(readFileSync(resolve(import.meta.dirname, 'fixtures/bad-briefs.yaml'), 'utf8')) as {
  file: string;
  message: string;
}[];

let client: Client;
beforeAll(async () => {
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
});
afterAll(() => client?.connection.close());

describe('campaign start with a bad brief', () => {
  it('has a row for every bad brief in examples/briefs/bad', () => {
    const files = readdirSync(resolve(PROJECT_ROOT, 'examples/briefs/bad')).sort();
    expect(
      rows
        .map((r) => r.file)
        .filter((f) => f !== 'does-not-exist.yaml')
        .sort(),
    ).toEqual(files);
  });

  it.each(rows)('$file: exit 2, one line naming the problem, nothing started', async ({ file, message }) => {
    const path = `examples/briefs/bad/${file}`;
    const id = `bad-${file.replace('.yaml', '')}-${Date.now()}`;
    const run = await runCli(['start', path, '--requested-by', 'lena.vogel', '--id', id]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`campaign: ${path}: ${message}\n`);
    await expect(client.workflow.getHandle(id).describe()).rejects.toThrow(WorkflowNotFoundError);
  });

  it('names the missing requester instead of starting a campaign nobody asked for', async () => {
    const run = await runCli(['start', resolve(PROJECT_ROOT, 'examples/briefs/green-tariff-launch.yaml')], {
      CAMPAIGN_USER: '',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('campaign: --requested-by: required (or set CAMPAIGN_USER)\n');
  });
});
