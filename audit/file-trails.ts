import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEvent } from '../domain/audit';
import type { Checkpoint } from '../domain/audit-anchor';

/** One campaign's trail as the file store of earlier versions kept it: `<id>.jsonl` and `<id>.checkpoint.json`. */
export interface FileTrail {
  file: string;
  checkpointFile: string;
  events: AuditEvent[];
  checkpoint: Checkpoint | null;
}

/**
 * The trails in a folder of the earlier file store (`CAMPAIGN_AUDIT_DIR`), each with its checkpoint, for import into
 * the governance store. A line that is not JSON is reported by file and line, never skipped.
 */
export function readFileTrails(dir: string): FileTrail[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new Error(`cannot read the audit folder ${dir}: ${(err as Error).message}`);
  }
  return names
    .filter((name) => name.endsWith('.jsonl') && !name.endsWith('.spend.jsonl'))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      const checkpointFile = join(dir, name.replace(/\.jsonl$/, '.checkpoint.json'));
      const events = readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, i }))
        .filter(({ line }) => line.trim() !== '')
        .map(({ line, i }) => {
          try {
            return JSON.parse(line) as AuditEvent;
          } catch {
            throw new Error(`${file}: line ${i + 1} is not JSON`);
          }
        });
      let checkpoint: Checkpoint | null = null;
      try {
        checkpoint = JSON.parse(readFileSync(checkpointFile, 'utf8')) as Checkpoint;
      } catch {
        checkpoint = null;
      }
      return { file, checkpointFile, events, checkpoint };
    });
}
