import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config/paths';

/** `campaign --version`: the package version, the build id workers would run (the workflow code's hash), the revision. */
export async function versionText(): Promise<string> {
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  // Loaded only when asked: hashing the workflow sources is not every command's business.
  const { codeVersion } = await import('../worker/code-version');
  const { buildId, revision } = codeVersion();
  return `campaign ${version} (build ${buildId}${revision ? `, revision ${revision.slice(0, 12)}` : ''})`;
}
