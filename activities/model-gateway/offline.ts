import type { CreativeBriefOutput, VariantSetOutput } from '../../domain/agent-outputs';
import type { Brief } from '../../domain/brief';
import type { KeyMessage, Research } from '../../domain/campaign';
import { CHANNEL_LIMITS } from '../../domain/channels';
import { carries } from '../copy-checks';

/** Bumped whenever the offline generator's output changes, so the change shows in every audit event. */
export const OFFLINE_MODEL = 'offline-v2';

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

/**
 * A deterministic copywriter: one variant per channel, built only from cited facts and supported key messages, in the
 * brief's language (German from the facts' own text; other languages from the brief's key messages, which are in it),
 * each channel with its own headline, and after a change request visibly other copy: the headlines move on by a round
 * and what the feedback names is left out.
 */
export function offlineVariants(
  brief: Brief,
  creativeBrief: Pick<CreativeBriefOutput, 'keyMessages'>,
  research: Research,
  feedback: string[],
  disclaimer: string | undefined,
  round = 1,
): VariantSetOutput['variants'] {
  const usable = creativeBrief.keyMessages.filter(
    (m) => m.factIds.length > 0 && !feedback.some((f) => f.toLowerCase().includes(m.text.toLowerCase())),
  );
  const factIds = [...new Set(usable.flatMap((m) => m.factIds))];
  const facts = factIds.map((id) => research.facts.find((f) => f.id === id)).filter((f) => f !== undefined);
  const callToAction = brief.language === 'de' ? `Jetzt wechseln: ${brief.product}` : `Switch now: ${brief.product}`;
  // What a headline may say: a key message, a call to action, a cited fact's short claim (in the facts' language), the
  // product, and a call to action of two words: enough for every channel its own.
  const shortCall = brief.language === 'de' ? 'Jetzt wechseln' : 'Switch now';
  const claims = brief.language === 'de' ? facts.map((f) => f.claim) : [];
  const headlines = [...usable.map((m) => m.text), callToAction, ...claims, brief.product, shortCall];
  // A message may lead with the product's name ("ElbtalStrom Grün: 12 months …"); without it, it fits short headlines.
  const productPrefix = new RegExp(`^${brief.product.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*[:–-]\\s*`);
  const withoutProduct = (text: string) => {
    const rest = text.replace(productPrefix, '');
    return rest === text ? text : rest.charAt(0).toUpperCase() + rest.slice(1);
  };
  const rotate = <T>(items: T[], by: number) => items.map((_, i) => items[(i + by) % items.length] as T);
  const used = new Set<string>();
  const variants = brief.channels.map((channel, index) => {
    const limits = CHANNEL_LIMITS[channel];
    // Each channel starts at another message, and each round one further: the copy changes when changes are asked;
    // a headline another channel already has is taken only when nothing else fits.
    const order = rotate(headlines, (index + round - 1) % headlines.length).flatMap((h) => [h, withoutProduct(h)]);
    const fits = (h: string) => h.length <= (limits.headline ?? 30);
    const fresh = order.filter((h) => fits(h) && !used.has(h));
    const headline = fresh[0] ?? fitFirst([...order, brief.product], limits.headline ?? 30);
    used.add(headline);
    const message = usable.find((m) => m.text === headline || withoutProduct(m.text) === headline);
    // Channels with room for one short line quote the facts' short claims; copy in another language than the facts'
    // says the brief's own key messages, which cite the facts behind them.
    const sentences = rotate(
      brief.language === 'de'
        ? facts.map((f) => ((limits.body ?? 0) <= 90 ? `${f.claim}.` : f.text))
        : usable.filter((m) => m !== message).map((m) => `${m.text.replace(/[.!]$/, '')}.`),
      round - 1,
    );
    const closing = channel === 'email' && disclaimer ? [disclaimer] : [];
    const body = fitSentences(sentences, closing, limits.body ?? 90, brief.product);
    // A headline taken from a key message cites the facts behind that message; the body cites what it quotes.
    const inBody = brief.language === 'de' ? [] : usable.filter((m) => body.includes(m.text.replace(/[.!]$/, '')));
    const cited = [
      ...new Set([
        ...(message?.factIds ?? []),
        ...inBody.flatMap((m) => m.factIds),
        ...citedIn(headline + body, facts, message || inBody.length ? [] : factIds),
      ]),
    ];
    return { channel, headline, body, factIds: cited.length > 0 ? cited : factIds.slice(0, 1) };
  });
  // Every supported key message goes somewhere: one no headline or body carries yet goes at the start of the body
  // with the most room left (before an e-mail's disclaimer), citing its facts.
  for (const m of usable) {
    if (carries(variants.map((v) => `${v.headline} ${v.body}`).join('\n'), m.text)) continue;
    const sentence = `${m.text.replace(/[.!]$/, '')}.`;
    const room = (v: (typeof variants)[number]) => (CHANNEL_LIMITS[v.channel].body ?? 90) - v.body.length;
    const roomiest = [...variants].sort((a, b) => room(b) - room(a))[0];
    if (roomiest && room(roomiest) > sentence.length) {
      roomiest.body = `${sentence} ${roomiest.body}`;
      roomiest.factIds = [...new Set([...roomiest.factIds, ...m.factIds])];
    }
  }
  return variants;
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
