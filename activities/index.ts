import { createCopywriter } from './copywriter';
import type { ActivityDeps } from './deps';
import { createPlanner } from './planner';
import { createPublisher } from './publisher';
import { createResearcher } from './researcher';
import { createReviewer } from './reviewer';
import { createStrategist } from './strategist';

export type { ActivityDeps } from './deps';

/** Every activity of the campaign workflow, bound to `deps`. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlanner(deps),
    ...createResearcher(deps),
    ...createStrategist(deps),
    ...createCopywriter(deps),
    ...createReviewer(deps),
    ...createPublisher(deps),
  };
}

/** The activities' type, for `proxyActivities<Activities>` in workflow code. */
export type Activities = ReturnType<typeof createActivities>;
