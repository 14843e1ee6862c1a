import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root folder, wherever it is run from: the nearest folder above this module with the project's
 * `package.json`, so the same answer comes from the sources and from the compiled CLI in `dist/`.
 */
export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (name === 'governed-campaigns') return dir;
    } catch {
      // No package.json here; keep climbing.
    }
    if (dirname(dir) === dir) throw new Error(`no governed-campaigns package.json above ${start}`);
  }
}

/** Where the worker reads data, writes packages, and finds its policies (from the settings, `config/settings.ts`). */
export interface WorkerPaths {
  dataDir: string;
  outboxDir: string;
  policyDir: string;
  promptDir: string;
  modelConfigFile: string;
  /** Signing keys made with `campaign keys new`: `private/<id>.key` and the public keyring the worker reads. */
  keyDir: string;
  /** Where reminders are appended when no webhook is configured. */
  notifyFile: string;
}
