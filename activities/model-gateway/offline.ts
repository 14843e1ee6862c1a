import type { CreativeBriefOutput, VariantSetOutput } from '../../domain/agent-outputs';
import type { Brief } from '../../domain/brief';
import type { KeyMessage, Research } from '../../domain/campaign';
import { CHANNEL_LIMITS } from '../../domain/channels';

/** Bumped whenever the offline generator's output changes, so the change shows in every audit event. */
export const OFFLINE_MODEL = 'offline-v1';

const STOPWORDS = new Set([
  'und',
  'der',
  'die',
  'das',
  'aus',
  'in',
  'mit',
  'für',
  'zu',
  'im',
  'the',
  'and',
  'of',
  'in',
  'for',
]);

/** A deterministic strategist: ties each key message to the facts that share its words. */
export function offlineCreativeBrief(brief: Brief, research: Research): CreativeBriefOutput {
  const keyMessages: KeyMessage[] = brief.keyMessages.map((text) => ({
    text,
    factIds: supportingFacts(text, research),
  }));
  return {
    objective: brief.objective,
    audience: `${research.audience.segment} (${research.audience.consentedRecords} records with consent for ${research.audience.purpose})`,
    keyMessages,
    tone: brief.tone,
    kpis:
      brief.language === 'de'
        ? ['Klickrate', 'Tarifwechsel', 'Abmelderate']
        : ['Click rate', 'Switches', 'Unsubscribes'],
  };
}

/** A deterministic copywriter: one variant per channel, built only from cited facts and supported key messages. */
export function offlineVariants(
  brief: Brief,
  creativeBrief: Pick<CreativeBriefOutput, 'keyMessages'>,
  research: Research,
  feedback: string[],
  disclaimer: string | undefined,
): VariantSetOutput['variants'] {
  const usable = creativeBrief.keyMessages.filter(
    (m) => m.factIds.length > 0 && !feedback.some((f) => f.toLowerCase().includes(m.text.toLowerCase())),
  );
  const factIds = [...new Set(usable.flatMap((m) => m.factIds))];
  const facts = factIds.map((id) => research.facts.find((f) => f.id === id)).filter((f) => f !== undefined);
  return brief.channels.map((channel) => {
    const limits = CHANNEL_LIMITS[channel];
    const headline = fitFirst([usable[0]?.text ?? brief.product, brief.product], limits.headline ?? 30);
    // Channels with room for one short line quote the facts' short claims.
    const sentences = facts.map((f) => ((limits.body ?? 0) <= 90 ? `${f.claim}.` : f.text));
    const closing = channel === 'email' && disclaimer ? [disclaimer] : [];
    const body = fitSentences(sentences, closing, limits.body ?? 90, brief.product);
    // A headline taken from a key message cites the facts behind that message; the body cites what it quotes.
    const headlineFacts = headline === usable[0]?.text ? usable[0].factIds : [];
    const cited = [...new Set([...headlineFacts, ...citedIn(headline + body, facts, factIds)])];
    return { channel, headline, body, factIds: cited };
  });
}

function supportingFacts(text: string, research: Research): string[] {
  const words = significantWords(text);
  return research.facts
    .filter((f) => f.kind !== 'legal' && f.kind !== 'voice')
    .filter((f) => significantWords(f.text).some((w) => words.includes(w)))
    .map((f) => f.id);
}

function significantWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 2 && !STOPWORDS.has(w));
}

/** The first candidate that fits `limit`, else the last one cut at a word boundary. */
function fitFirst(candidates: string[], limit: number): string {
  const fitting = candidates.find((c) => c.length <= limit);
  if (fitting) return fitting;
  const last = candidates.at(-1) ?? '';
  return last.slice(0, limit).replace(/\s+\S*$/, '');
}

function fitSentences(sentences: string[], closing: string[], limit: number, fallback: string): string {
  const reserved = closing.join(' ');
  const room = limit - (reserved ? reserved.length + 1 : 0);
  const chosen: string[] = [];
  for (const sentence of sentences) {
    if ([...chosen, sentence].join(' ').length <= room) chosen.push(sentence);
  }
  const text = [...(chosen.length ? chosen : [fitFirst([fallback], room)]), ...closing].join(' ');
  return text;
}

/** The facts whose text or claim made it into the copy; a variant cites exactly what it uses. */
function citedIn(text: string, facts: { id: string; text: string; claim: string }[], all: string[]): string[] {
  const used = facts.filter((f) => text.includes(f.text) || text.includes(f.claim)).map((f) => f.id);
  return used.length > 0 ? used : all.slice(0, 1);
}
