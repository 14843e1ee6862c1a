import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Logger } from '@temporalio/common';
import { FAILURE_CONVERTER_PATH } from '../codec/data-converter';
import { PROJECT_ROOT } from '../config/paths';

/** The bundle entry of the workflow code, where webpack starts. */
export const WORKFLOWS_PATH = resolve(PROJECT_ROOT, 'workflows', 'index.ts');

/** Folders whose files end up in the workflow bundle; a change to any of them means a new bundle. */
const BUNDLED_FOLDERS = ['workflows', 'domain'];
/** Bundles kept in the cache folder, last used first; older ones are removed. */
const KEEP = 8;

/**
 * The workflow bundle for today's sources: built once with webpack (seconds to a minute on 2 cores), then cached under
 * a hash of the workflow and domain sources and the lock file, so a worker starts in about a second.
 */
export async function workflowBundle(options: {
  /** The bundle cache (the settings' `paths.bundleDir`). */
  cacheDir: string;
  logger?: Logger;
  progress?: (line: string) => void;
  /** For workers that encrypt payloads: failure messages and stacks travel as encoded (encrypted) payloads. */
  encodeFailures?: boolean;
}): Promise<WorkflowBuild> {
  const dir = options.cacheDir;
  const buildId = sourceHash();
  const codePath = bundlePath(dir, buildId, options.encodeFailures ?? false);
  try {
    // Used now: the cache keeps the bundles last used, which include those of builds still running campaigns.
    const now = new Date();
    utimesSync(codePath, now, now);
    return { codePath, buildId };
  } catch {
    // Not built yet for these sources.
  }
  options.progress?.('building the workflow bundle (once per change to workflows/ or domain/) ...');
  const started = Date.now();
  // Loaded only to build: webpack and the SDK's bundler cost a second even when the cache answers.
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    preloadModules: SHARED_MODULES,
    ...(options.encodeFailures ? { failureConverterPath: FAILURE_CONVERTER_PATH } : {}),
    logger: options.logger ?? warningsOnly,
  });
  mkdirSync(dir, { recursive: true });
  // Written aside and renamed, so a worker starting at the same moment never reads half a bundle.
  const partial = `${codePath}.${process.pid}.partial`;
  writeFileSync(partial, code);
  renameSync(partial, codePath);
  prune(dir, codePath);
  options.progress?.(`workflow bundle built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${codePath}`);
  return { codePath, buildId };
}

/**
 * The modules every campaign of a worker thread shares instead of evaluating them afresh (the SDK's `preloadModules`:
 * loaded once as the reusable V8 context starts, deep-frozen, and in the module cache of every workflow after it):
 * hashing, RFC 8785 and Ed25519, which hold no per-campaign state and reach no workflow API. Evaluated per campaign,
 * they ran cold (interpreted) in every one and were kept once per cached campaign. Not zod: it binds a schema's
 * methods on first use and memoizes its parsers in the schema, which a frozen schema refuses (tried: every parse
 * failed).
 */
const SHARED_MODULES = ['domain/hash.ts', 'domain/ed25519.ts'].map((file) => resolve(PROJECT_ROOT, file));

/** A workflow bundle in the cache, and the build (the hash of its sources) it was made from. */
export interface WorkflowBuild {
  codePath: string;
  buildId: string;
}

/** Where the cache keeps the bundle of `buildId` (the variant that encodes failures, or not). */
export function bundlePath(cacheDir: string, buildId: string, encodeFailures: boolean): string {
  return join(cacheDir, `workflows-${buildId}${encodeFailures ? '-encoded' : ''}.js`);
}

/** SHA-256 over the bundled sources (path and content), this recipe, and the lock file that pins the SDK. */
export function sourceHash(): string {
  const hash = createHash('sha256');
  const files = BUNDLED_FOLDERS.flatMap((folder) => filesUnder(resolve(PROJECT_ROOT, folder))).sort();
  // This file too: how the bundle is built (its options) is as much part of it as the sources.
  const recipe = resolve(PROJECT_ROOT, 'worker', 'workflow-bundle.ts');
  for (const file of [...files, recipe, resolve(PROJECT_ROOT, 'package-lock.json')]) {
    hash.update(relative(PROJECT_ROOT, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : /\.(ts|cjs)$/.test(entry.name) ? [path] : [];
  });
}

function prune(dir: string, keep: string): void {
  const bundles = readdirSync(dir)
    .filter((f) => /^workflows-[0-9a-f]+(-encoded)?\.js$/.test(f))
    .map((f) => join(dir, f))
    .filter((f) => f !== keep)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const old of bundles.slice(KEEP - 1)) rmSync(old, { force: true });
}

const ignore = () => undefined;
const warn = (message: string) => process.stderr.write(`workflow bundle: ${message}\n`);
/** The bundler's progress lines are noise here; its warnings and errors are not. */
const warningsOnly: Logger = { log: ignore, trace: ignore, debug: ignore, info: ignore, warn, error: warn };
