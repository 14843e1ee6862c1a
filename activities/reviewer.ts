import { reviewAdviceSchema } from '../domain/agent-outputs';
import type { ReviewFinding, ReviewReport } from '../domain/campaign';
import { hashOf } from '../domain/hash';
import type { ReviewInput } from '../domain/step-inputs';
import { campaignFindings, changeFindings, loadLanguageModels } from './copy-checks';
import type { ActivityDeps } from './deps';
import { languageName } from './language';
import { quoteInjections } from './privacy/injection';
import { countClaims, reviewVariant } from './review-rules';

/** The reviewer agent: deterministic rule checks decide; the model only adds advice on tone and clarity. */
export function createReviewer({ data, models }: ActivityDeps) {
  return {
    /** Checks claims, wording, disclaimers, PII and channel limits; blocking findings send the copy back. */
    async reviewVariants({ brief, variants, research, changeRequest }: ReviewInput): Promise<ReviewReport> {
      const kb = data.knowledgeBase(brief.brand);
      await loadLanguageModels();
      const missing: ReviewFinding[] = brief.channels
        .filter((channel) => !variants.some((v) => v.channel === channel))
        .map((channel) => ({
          variantId: channel,
          kind: 'missing-variant',
          blocking: true,
          detail: `no variant for ${channel}`,
        }));
      const findings = [
        ...missing,
        ...variants.flatMap((v) => reviewVariant(v, research, kb)),
        ...campaignFindings(brief, variants, [kb.brandName, brief.product], changeRequest),
        ...(changeRequest ? changeFindings(variants, changeRequest) : []),
        ...injectionFindings(brief, research),
      ];
      const { output, provenance } = await models.generate({
        role: 'reviewer',
        ownDomains: data.governance(brief.brand).domains,
        variables: {
          brandName: kb.brandName,
          rules: kb.facts.filter((f) => f.kind === 'voice' || f.kind === 'legal').map((f) => f.text),
          variants: variants.map(({ id, channel, headline, body }) => ({ id, channel, headline, body })),
          languageName: languageName(brief.language),
        },
        schema: reviewAdviceSchema,
        brief,
        schemaName: 'review_advice',
        offline: () => ({ advisories: [] }),
      });
      const advice = output.advisories.map((a) => ({
        variantId: a.variantId,
        kind: 'advisory' as const,
        blocking: false,
        detail: a.note,
      }));
      const all = [...findings, ...advice];
      return {
        findings: all,
        blocking: all.some((f) => f.blocking),
        claims: countClaims(variants, research, kb),
        provenance,
        // Exactly what was reviewed, by hash: the publisher matches it to the content it publishes.
        contentHash: hashOf(variants),
      };
    },
  };
}

/** The approver sees every passage that read as an instruction to the models, and what was done with it. */
function injectionFindings(brief: ReviewInput['brief'], research: ReviewInput['research']): ReviewFinding[] {
  const facts = (research.screened ?? []).map((s) => ({
    variantId: 'research',
    kind: 'injection' as const,
    blocking: false,
    detail: `${s.where} was left out: it ${s.reasons.join(' and ')}`,
  }));
  const passages = quoteInjections({ objective: brief.objective, keyMessages: brief.keyMessages }, 'brief').flagged.map(
    (f) => ({
      variantId: 'brief',
      kind: 'injection' as const,
      blocking: false,
      detail: `${f.where} went to the models as quoted data: it ${f.reasons.join(' and ')}`,
    }),
  );
  return [...facts, ...passages];
}
