import { execFileSync } from 'node:child_process';
import type { CodeVersion } from '../activities/deps';
import { PROJECT_ROOT } from '../config/paths';
import { sourceHash } from './workflow-bundle';

let revision: string | null | undefined;

/**
 * The code this worker runs: the build of its workflow bundle (today's sources' hash unless it runs an older build)
 * and, in a git checkout, the revision of the rest.
 */
export function codeVersion(buildId: string = sourceHash()): CodeVersion {
  return { buildId, revision: gitRevision() };
}

function gitRevision(): string | null {
  if (revision !== undefined) return revision;
  revision = null;
  try {
    revision = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    // Not a checkout (a packaged deployment): the build id alone names the code.
  }
  return revision;
}
