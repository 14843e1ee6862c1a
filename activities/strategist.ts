import type { Brief } from '../domain/brief';
import type { CreativeBrief, Research } from '../domain/campaign';
import type { ActivityDeps } from './deps';
import { offlineCreativeBrief } from './model-gateway/offline';

/** The strategist agent. */
export function createStrategist(_deps: ActivityDeps) {
  return {
    /** Writes the structured creative brief, tying each key message to fact ids. */
    async draftCreativeBrief({ brief, research }: { brief: Brief; research: Research }): Promise<CreativeBrief> {
      return offlineCreativeBrief(brief, research);
    },
  };
}
