import type { Brief } from '../domain/brief';
import type { Research, ReviewReport, Variant } from '../domain/campaign';
import type { ActivityDeps } from './deps';
import { reviewVariant } from './review-rules';

/** The reviewer agent: deterministic checks, so the same copy always gets the same findings. */
export function createReviewer({ data }: ActivityDeps) {
  return {
    /** Checks claims, wording, disclaimers, PII and channel limits; blocking findings send the copy back. */
    async reviewVariants({
      brief,
      variants,
      research,
    }: {
      brief: Brief;
      variants: Variant[];
      research: Research;
    }): Promise<ReviewReport> {
      const kb = data.knowledgeBase(brief.brand);
      const findings = variants.flatMap((v) => reviewVariant(v, research, kb));
      return { findings, blocking: findings.some((f) => f.blocking) };
    },
  };
}
