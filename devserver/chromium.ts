import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { settings } from '../config/settings';

/** Where Debian's chromium package puts the browser the UI tests drive. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Flags for headless Chromium on a machine whose network reaches nothing but loopback. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Returns the Chromium for the browser tests: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`, else it installs
 * Debian's package when running as root with apt-get (browsers cannot be downloaded by npm here), else it names the fix.
 */
export function ensureChromium(
  progress: (line: string) => void = (l) => process.stderr.write(`[setup] ${l}\n`),
  fromEnv: string | undefined = settings().tools.chromium,
): string {
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const root = process.getuid?.() === 0;
  const apt = spawnSync('apt-get', ['--version']).status === 0;
  if (!root || !apt) {
    throw new Error('the UI tests need Chromium: install it (Debian: `apt-get install chromium`) or set CHROMIUM_PATH');
  }
  progress('installing Debian chromium for the UI tests (apt-get, a minute or two) ...');
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!existsSync(DEBIAN_CHROMIUM)) throw new Error('apt-get installed chromium, but /usr/bin/chromium is missing');
  progress(`installed ${DEBIAN_CHROMIUM}`);
  return DEBIAN_CHROMIUM;
}
