import { hashOf } from '../domain/hash';

/**
 * The folder (or file name) for a workflow id, in the outbox and the audit store: the id itself when it is a plain name, else a sanitised name plus a short hash,
 * so "a/b" and "a_b" never share a folder and ".." never leaves its parent.
 */
export function folderFor(workflowId: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/.test(workflowId)) return workflowId;
  // A leading "_" keeps these apart from plain ids, which must start with a letter or digit.
  return `_${workflowId.replace(/[^A-Za-z0-9_-]/g, '_')}-${hashOf(workflowId).slice(0, 8)}`;
}
