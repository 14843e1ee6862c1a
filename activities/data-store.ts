import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { parse } from 'yaml';
import type { z } from 'zod';
import { Failure } from '../domain/failures';
import {
  type BrandGovernance,
  brandGovernanceSchema,
  DATA_ID,
  type KnowledgeBase,
  keyringSchema,
  knowledgeBaseSchema,
  type Roster,
  rosterSchema,
  type Segment,
  segmentsFileSchema,
} from '../domain/knowledge';
import { describeProblem } from '../domain/problems';

/** Read access to the brands' knowledge bases, first-party segments, governance settings and the roster. */
export interface DataStore {
  /** The brands this installation knows, by id. */
  brands(): string[];
  knowledgeBase(brand: string): KnowledgeBase;
  segment(brand: string, segmentId: string): Segment;
  /** The ids of a brand's segments. */
  segmentIds(brand: string): string[];
  /** The brand's governance settings; the strict defaults when it has no `governance.yaml`. */
  governance(brand: string): BrandGovernance;
  /** The roster, with public keys from the keyring filled in for people the roster gives none. */
  roster(): Roster;
}

/**
 * A {@link DataStore} over a folder laid out like `examples/`: `roster.yaml` and `brands/<brand>/*.yaml`. Each file
 * is parsed once and kept while its size and modification time stay the same, so an edit takes effect at the next
 * activity without a worker restart.
 */
export function createFileDataStore(dataDir: string, options: { keyringFile?: string } = {}): DataStore {
  const brandFile = (brand: string, file: string) => {
    // Ids reach here from a workflow's input; only plain ids may become a path, never `..` or a slash.
    if (!DATA_ID.test(brand)) throw invalidBrief('brief.brand: must be a brand id in kebab-case');
    return join(dataDir, 'brands', brand, file);
  };
  const cached = new Map<string, { stamp: string; value: unknown }>();
  function load<T>(file: string, schema: z.ZodType<T>, what: string): T {
    const stamp = stampOf(file);
    const hit = cached.get(file);
    if (hit && stamp !== null && hit.stamp === stamp) return hit.value as T;
    // Frozen, because every activity shares the one parsed copy.
    const value = deepFreeze(readYaml(file, schema, what));
    if (stamp !== null) cached.set(file, { stamp, value });
    return value;
  }
  return {
    brands() {
      try {
        return readdirSync(join(dataDir, 'brands'), { withFileTypes: true })
          .filter((e) => e.isDirectory() && DATA_ID.test(e.name))
          .map((e) => e.name)
          .sort();
      } catch {
        return [];
      }
    },
    segmentIds(brand) {
      return load(brandFile(brand, 'segments.yaml'), segmentsFileSchema, `brand '${brand}'`).segments.map((s) => s.id);
    },
    knowledgeBase(brand) {
      return load(brandFile(brand, 'knowledge-base.yaml'), knowledgeBaseSchema, `brand '${brand}'`);
    },
    segment(brand, segmentId) {
      if (!DATA_ID.test(segmentId)) throw invalidBrief('brief.audience.segment: must be a segment id in kebab-case');
      const { segments } = load(brandFile(brand, 'segments.yaml'), segmentsFileSchema, `brand '${brand}'`);
      const found = segments.find((s) => s.id === segmentId);
      if (!found) throw invalidBrief(`brief.audience.segment: '${segmentId}' is not a segment of brand '${brand}'`);
      return found;
    },
    governance(brand) {
      const file = brandFile(brand, 'governance.yaml');
      return stampOf(file) === null
        ? brandGovernanceSchema.parse({})
        : load(file, brandGovernanceSchema, `brand '${brand}' governance`);
    },
    roster() {
      const roster = load(join(dataDir, 'roster.yaml'), rosterSchema, 'roster');
      const file = options.keyringFile;
      if (!file || stampOf(file) === null) return roster;
      const { keys } = load(file, keyringSchema, 'keyring');
      return { people: roster.people.map((p) => (p.publicKey || !keys[p.id] ? p : { ...p, publicKey: keys[p.id] })) };
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Size and modification time of a file, or null when it cannot be read (then the read names the problem). */
function stampOf(file: string): string | null {
  try {
    const { size, mtimeMs } = statSync(file);
    return `${size}:${mtimeMs}`;
  } catch {
    return null;
  }
}

function readYaml<T>(file: string, schema: z.ZodType<T>, what: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    // Only a missing file means the brief names something unknown; anything else (permissions, a folder) is the
    // operator's to fix, and the cause says which.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw invalidBrief(`${what} is unknown: no ${file}`);
    throw invalidData(`${file} cannot be read (${code ?? 'error'})`, err);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw invalidData(`${file} is not valid YAML`, err);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    // A broken data file is an operator error: fail without retrying, and name the file.
    throw invalidData(`${file} is invalid: ${describeProblem(parsed.error, 'file', 'dotted')}`);
  }
  return parsed.data;
}

/** A brief that validated but names something this installation does not know. */
export function invalidBrief(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, Failure.InvalidBrief);
}

/** A data file an operator must fix; not retried. */
function invalidData(message: string, cause?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    message,
    type: Failure.InvalidData,
    nonRetryable: true,
    cause: cause instanceof Error ? cause : undefined,
  });
}
