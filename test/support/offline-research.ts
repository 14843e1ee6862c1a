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
import { openGovernanceStore } from '../../store/governance-store';
import { productionDeps } from '../../worker/create-worker';
import { quietLogger } from './quiet-logger';
import { freshDatabase } from './test-database';

/** The example data store. */
export const exampleData = createFileDataStore(resolve(PROJECT_ROOT, 'examples'));

/** Runs the real researcher activity on the offline model, in Temporal's activity test environment. */
export async function offlineResearch(brief: Brief): Promise<Research> {
  const scratch = mkdtempSync(join(tmpdir(), 'offline-research-'));
  const base = loadSettings({});
  const paths = { ...base.paths, keyDir: join(scratch, 'keys') };
  // The researcher on the offline model records nothing: the store is there because every activity has one.
  const store = await openGovernanceStore(await freshDatabase(), 'a'.repeat(64));
  try {
    const deps = productionDeps({ ...base, paths }, store);
    return await new MockActivityEnvironment(undefined, { logger: quietLogger }).run(
      createResearcher(deps).researchFacts,
      { brief },
    );
  } finally {
    await store.close();
  }
}
