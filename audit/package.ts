import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { folderFor } from '../activities/folders';
import { type OutboxPackage, outboxPackageSchema } from '../domain/outbox-package';
import { describeProblem } from '../domain/problems';

/** The package a campaign published to `outboxDir`, or null when there is none. */
export function readPackage(outboxDir: string, campaignId: string): OutboxPackage | null {
  return readPackageFile(packagePath(outboxDir, campaignId));
}

/** Where the publisher writes a campaign's package under `outboxDir`, as an absolute path (as the publisher names it). */
export function packagePath(outboxDir: string, campaignId: string): string {
  return join(resolve(outboxDir, folderFor(campaignId)), 'package.json');
}

/** A package file; null when it is missing or unreadable, and an error naming the problem when it is not a package. */
export function readPackageFile(path: string): OutboxPackage | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
  const parsed = outboxPackageSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${path} is not an outbox package: ${describeProblem(parsed.error, 'package', 'dotted')}`);
  }
  // Checked, then used as written: the auditor hashes and verifies what the file holds, so nothing may be trimmed or
  // dropped on the way.
  return raw as OutboxPackage;
}
