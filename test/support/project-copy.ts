import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../../config/paths';

/**
 * A copy of this checkout's files (tracked and new, as they are now) in a temporary folder, sharing `node_modules`
 * and the Temporal binaries: somewhere a test can change the code the way a developer would, without touching ours.
 */
export function copyProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'campaign-copy-'));
  // Others may enter (not list) it: the local PostgreSQL server runs as its own system user when tests run as root.
  chmodSync(root, 0o711);
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: PROJECT_ROOT,
  })
    .toString()
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    const from = resolve(PROJECT_ROOT, file);
    const to = join(root, file);
    mkdirSync(dirname(to), { recursive: true });
    try {
      cpSync(from, to);
    } catch {
      // Listed by git but deleted in the working tree: not part of the code as it is now.
    }
  }
  symlinkSync(resolve(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'));
  symlinkSync(resolve(PROJECT_ROOT, '.temporal'), join(root, '.temporal'));
  return root;
}
