// Compiles the CLI's TypeScript to JavaScript with esbuild on first use and whenever a source is newer than the
// build, so `npx campaign` starts in a fraction of a second and never runs stale code. Plain JavaScript on purpose:
// it runs before anything can compile TypeScript.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** Every folder whose TypeScript the CLI can load, directly or through a lazy import. */
const SOURCE_DIRS = [
  'cli',
  'client',
  'codec',
  'config',
  'audit',
  'domain',
  'workflows',
  'activities',
  'policies',
  'worker',
  'devserver',
  'eval',
  'keys',
  'store',
];
const DIST = join(ROOT, 'dist');

/** The compiled CLI entry for today's sources, built if needed; returns its path. */
export async function ensureCliBuild() {
  const stamp = sourceStamp();
  const out = join(DIST, stamp);
  const entry = join(out, 'main.js');
  if (existsSync(entry)) return entry;
  const { build } = await import('esbuild');
  const partial = `${out}.${process.pid}.partial`;
  await build({
    entryPoints: [join(ROOT, 'cli', 'main.ts')],
    outdir: partial,
    bundle: true,
    // Lazy imports (the worker SDK, the dev server) stay lazy as chunks of their own.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'error',
  });
  try {
    renameSync(partial, out);
  } catch {
    // Another `campaign` process finished the same build first; use theirs.
    rmSync(partial, { recursive: true, force: true });
  }
  prune(stamp);
  return entry;
}

/** A short hash of every source file's path, size and modification time: cheap to compute at every start. */
function sourceStamp() {
  const hash = createHash('sha256');
  const files = [join(ROOT, 'package-lock.json'), ...SOURCE_DIRS.flatMap((dir) => tsFiles(join(ROOT, dir)))];
  for (const file of files.sort()) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${file}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return /\.(ts|cjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Removes builds of earlier sources; a build in progress (`.partial`) is left alone. */
function prune(current) {
  mkdirSync(DIST, { recursive: true });
  for (const name of readdirSync(DIST)) {
    if (name !== current && /^[0-9a-f]{16}$/.test(name)) rmSync(join(DIST, name), { recursive: true, force: true });
  }
}
