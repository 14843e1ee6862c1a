import type { Script, ScriptedReply } from './fake-openai';

const DISCLAIMER = 'Alle Preise inkl. 19 % MwSt. Es gelten die AGB der Stadtwerke Elbtal.';

/** Grounded copy for the example brief: every figure appears in a cited fact. */
export const GROUNDED_VARIANTS = {
  variants: [
    {
      channel: 'search-ad',
      headline: 'ElbtalStrom Grün',
      body: '12 Monate Preisgarantie. Wechsel online in 5 Minuten.',
      factIds: ['TERM-1', 'PROD-2'],
    },
    {
      channel: 'email',
      headline: 'Ökostrom aus der Region mit 12 Monaten Preisgarantie',
      body: `Der Strom für ElbtalStrom Grün kommt aus Wasserkraft und Windparks in der Region Elbtal. 12 Monate Preisgarantie. ${DISCLAIMER}`,
      factIds: ['PROD-1', 'TERM-1'],
    },
    {
      channel: 'social',
      headline: 'Wasserkraft und Wind aus der Region',
      body: 'Wasserkraft und Wind aus der Region. 12 Monate Preisgarantie.',
      factIds: ['PROD-1', 'TERM-1'],
    },
  ],
};

/** The same copy with an invented price in the search ad. */
export const INVENTED_PRICE_VARIANTS = {
  variants: GROUNDED_VARIANTS.variants.map((v) =>
    v.channel === 'search-ad' ? { ...v, body: 'Nur 24,9 ct/kWh. Wechsel online in 5 Minuten.' } : v,
  ),
};

const ANSWERS: Record<string, unknown> = {
  research_selection: {
    factIds: ['PRICE-1', 'TERM-1', 'CERT-1', 'PROD-1', 'PROD-2', 'VOICE-1', 'LEGAL-1', 'LEGAL-2'],
    rationale: 'passt',
  },
  creative_brief: {
    objective: 'Bestandskunden zum Wechsel in den Ökostromtarif bewegen',
    audience: 'Haushalte im Elbtal mit Einwilligung',
    keyMessages: [
      { text: 'Ökostrom aus Wasserkraft und Wind aus der Region', factIds: ['PROD-1'] },
      { text: '12 Monate Preisgarantie', factIds: ['TERM-1'] },
    ],
    tone: 'klar, freundlich',
    kpis: ['Klickrate'],
  },
  variant_set: GROUNDED_VARIANTS,
  review_advice: { advisories: [{ variantId: 'email-1', note: 'Betreff etwas lang, aber im Rahmen.' }] },
};

/** A model that answers every role of a campaign; `override` replaces answers for chosen schemas and calls. */
export function campaignScript(
  override: (schemaName: string, n: number) => ScriptedReply | undefined = () => undefined,
): Script {
  return (request, n) =>
    override(request.schemaName, n) ?? { answer: ANSWERS[request.schemaName], inputTokens: 1000, outputTokens: 200 };
}
