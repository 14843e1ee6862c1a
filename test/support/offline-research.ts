import { resolve } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createFileDataStore } from '../../activities/data-store';
import { createResearcher } from '../../activities/researcher';
import type { Brief } from '../../domain/brief';
import type { Research } from '../../domain/campaign';
import { PROJECT_ROOT, workerPaths } from '../../worker/config';
import { productionDeps } from '../../worker/create-worker';
import { quietLogger } from './quiet-logger';

/** The example data store. */
export const exampleData = createFileDataStore(resolve(PROJECT_ROOT, 'examples'));

/** Runs the real researcher activity on the offline model, in Temporal's activity test environment. */
export function offlineResearch(brief: Brief): Promise<Research> {
  const deps = productionDeps({ ...workerPaths({}), cacheDir: resolve(PROJECT_ROOT, '.data', 'test-cache') }, {});
  return new MockActivityEnvironment(undefined, { logger: quietLogger }).run(createResearcher(deps).researchFacts, {
    brief,
  });
}
