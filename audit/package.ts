import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { folderFor } from '../activities/folders';
import type { Decision } from '../domain/decision';

/** The published package as the publisher writes it (the fields auditors check). */
export interface PublishedPackage {
  campaign: string;
  brand: string;
  language: string;
  variants: unknown[];
  aiContent: { marking: string; generatedBy: unknown };
  approval: { contentHash: string; approvedBy: string[]; requiredApprovals: number };
  approvals?: Decision[];
  seal: { workflowId: string; runId?: string; contentHash: string; auditHead: string };
}

/** The package a campaign published to `outboxDir`, or null when there is none. */
export function readPackage(outboxDir: string, campaignId: string): PublishedPackage | null {
  return readPackageFile(join(outboxDir, folderFor(campaignId), 'package.json'));
}

/** A package file, or null when it is missing or unreadable. */
export function readPackageFile(path: string): PublishedPackage | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PublishedPackage;
  } catch {
    return null;
  }
}
