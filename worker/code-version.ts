import { execFileSync } from 'node:child_process';
import type { CodeVersion } from '../activities/deps';
import { PROJECT_ROOT } from '../config/paths';
import { sourceHash } from './workflow-bundle';

let known: CodeVersion | undefined;

/** The code this worker runs: the workflow bundle's source hash and, in a git checkout, the revision. */
export function codeVersion(): CodeVersion {
  if (known) return known;
  let revision: string | null = null;
  try {
    revision = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    // Not a checkout (a packaged deployment): the build id alone names the code.
  }
  known = { buildId: sourceHash(), revision };
  return known;
}
