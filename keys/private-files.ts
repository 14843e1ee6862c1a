import { statSync } from 'node:fs';
import { KeyError } from './key-error';

/** Whether `path` exists. */
export function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Refuses a secret file that its group or others can read, naming the fix; false when it does not exist. */
export function assertPrivate(path: string): boolean {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return false;
  }
  if ((mode & 0o077) !== 0) {
    throw new KeyError(
      `${path} can be read by others (mode ${(mode & 0o777).toString(8)}); \`chmod 600 ${path}\` and try again`,
    );
  }
  return true;
}
