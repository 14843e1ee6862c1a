import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createFileDataStore } from '../../activities/data-store';
import { createResearcher } from '../../activities/researcher';
import { PROJECT_ROOT } from '../../config/paths';
import { loadSettings } from '../../config/settings';
import type { Brief } from '../../domain/brief';
import type { Research } from '../../domain/campaign';
import { productionDeps } from '../../worker/create-worker';
import { quietLogger } from './quiet-logger';

/** The example data store. */
export const exampleData = createFileDataStore(resolve(PROJECT_ROOT, 'examples'));

/** Runs the real researcher activity on the offline model, in Temporal's activity test environment. */
export function offlineResearch(brief: Brief): Promise<Research> {
  const scratch = mkdtempSync(join(tmpdir(), 'offline-research-'));
  const base = loadSettings({});
  const paths = {
    ...base.paths,
    cacheDir: join(scratch, 'cache'),
    auditDir: join(scratch, 'audit'),
    keyDir: join(scratch, 'keys'),
  };
  const deps = productionDeps({ ...base, paths });
  return new MockActivityEnvironment(undefined, { logger: quietLogger }).run(createResearcher(deps).researchFacts, {
    brief,
  });
}
