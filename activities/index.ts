import type { Governed, GovernedCall } from '../domain/audit';
import { createCopywriter } from './copywriter';
import type { ActivityDeps } from './deps';
import { createNotifierActivity } from './notifier';
import { createPlanner } from './planner';
import { createPublisher } from './publisher';
import { createRecorder } from './recorder';
import { createResearcher } from './researcher';
import { createReviewer } from './reviewer';
import { createStrategist } from './strategist';

export type { ActivityDeps } from './deps';

/** Every activity of the campaign workflow, bound to `deps`; each one is a step in `domain/steps.ts`. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlanner(deps),
    ...createResearcher(deps),
    ...createStrategist(deps),
    ...createCopywriter(deps),
    ...createReviewer(deps),
    ...createPublisher(deps),
    ...createRecorder(deps),
    ...createNotifierActivity(deps),
  };
}

/** The activities as the worker registers them. */
export type Activities = ReturnType<typeof createActivities>;

/** The activities as workflow code calls them: through the governance interceptor, each result in its envelope. */
export type GovernedActivities = {
  [A in keyof Activities]: (
    input: Parameters<Activities[A]>[0] | GovernedCall<Parameters<Activities[A]>[0]>,
  ) => Promise<Governed<Awaited<ReturnType<Activities[A]>>>>;
};
