import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/paths';

/** Runs the forced-deoptimisation script in a fresh Node process, as a worker would meet it. */
function forcedDeopt(mode: 'guarded' | 'raw') {
  const script = resolve(PROJECT_ROOT, 'test/support/cedar-deopt.ts');
  return spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', script, mode], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('the V8 abort that killed workers under load (cedar-wasm on Node 20)', () => {
  it('still aborts the process without the guard, so the test below can tell the difference', () => {
    const raw = forcedDeopt('raw');
    expect(raw.status).not.toBe(0);
    expect(raw.stderr).toContain('unreachable code');
    expect(raw.stderr).toContain('Deoptimizer::DoComputeBuiltinContinuation');
  });

  it('is avoided once the policy engine is loaded: the same deoptimisation during a Cedar call is survived', () => {
    const guarded = forcedDeopt('guarded');
    expect(guarded.stderr).not.toContain('unreachable code');
    expect(guarded.status).toBe(0);
    expect(guarded.stdout).toBe('survived: allow\n');
  });
});
