import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import { PROJECT_ROOT } from '../../config/paths';

/** What one CLI run printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `campaign ARGS` as a user would (the bin script, a new process) against the test run's dev server. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return startCli(args, env).done;
}

/**
 * Starts `campaign ARGS` and hands back what it prints as it prints it (`onStdout`), and how it ended (`done`), for
 * commands that wait for something else to happen first (`campaign login` waits for the browser).
 */
export function startCli(
  args: string[],
  env: Record<string, string> = {},
  onStdout: (text: string) => void = () => {},
): { done: Promise<CliRun> } {
  const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin/campaign.js'), ...args], {
    cwd: PROJECT_ROOT,
    env: {
      ...cleanEnv(),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: 'default',
      // Clear payloads, like the test workers, whatever key file `npm start` left in the project.
      CAMPAIGN_CODEC_KEY_FILE: 'none',
      // Nothing of what `npm start` left in `.data/` (its keys, its local database's URL) or the project's outbox: a
      // test names what it means, and the rest is an empty folder.
      ...untouched(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    onStdout(stdout);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<CliRun>((finished, fail) => {
    child.once('error', fail);
    child.once('close', (code) => finished({ code, stdout, stderr }));
  });
  return { done };
}

/** The environment without the developer's own Temporal, profile and model settings, which would redirect the CLI. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(TEMPORAL_|OPENAI_|CAMPAIGN_)/.test(key)));
}

let empty: string | undefined;

/** The `.data/`-derived settings pointed at one empty folder per test process. */
function untouched(): Record<string, string> {
  empty ??= mkdtempSync(join(tmpdir(), 'cli-nothing-'));
  return {
    CAMPAIGN_KEY_DIR: join(empty, 'keys'),
    CAMPAIGN_LOCAL_DATABASE_DIR: join(empty, 'postgres'),
    CAMPAIGN_OUTBOX_DIR: join(empty, 'outbox'),
    CAMPAIGN_NOTIFY_FILE: join(empty, 'notifications.jsonl'),
  };
}
