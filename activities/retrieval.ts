import MiniSearch from 'minisearch';
import type { Brief } from '../domain/brief';
import type { Fact } from '../domain/knowledge';

/** How many claimable facts the researcher retrieves per brief. */
export const TOP_K = 6;

/**
 * Ranks a brand's facts against the brief with MiniSearch (BM25+, prefix and fuzzy matching, German and English
 * alike), returns the top `k` claimable facts, and always adds the brand-voice and legal facts that bind the copy.
 */
export function retrieveFacts(facts: Fact[], brief: Brief, k = TOP_K): Fact[] {
  const { index, claimable, rules } = indexOf(facts);
  const query = [brief.product, brief.objective, ...brief.keyMessages].join(' ');
  const ranked = index.search(query).map((hit) => claimable.find((f) => f.id === hit.id));
  return [...ranked.filter((f): f is Fact => f !== undefined).slice(0, k), ...rules];
}

/** Indexes per facts list: the data store hands out the same frozen list until its file changes. */
const indexes = new WeakMap<Fact[], { index: MiniSearch<Fact>; claimable: Fact[]; rules: Fact[] }>();

function indexOf(facts: Fact[]) {
  const known = indexes.get(facts);
  if (known) return known;
  const index = new MiniSearch<Fact>({
    fields: ['text', 'claim', 'tagText'],
    storeFields: ['id'],
    extractField: (fact, field) =>
      field === 'tagText' ? fact.tags.join(' ') : String(fact[field as keyof Fact] ?? ''),
    searchOptions: { boost: { tagText: 2, claim: 1.5 }, prefix: true, fuzzy: 0.2, combineWith: 'OR' },
  });
  const rules = facts.filter((f) => f.kind === 'voice' || f.kind === 'legal');
  const claimable = facts.filter((f) => !rules.includes(f));
  index.addAll(claimable);
  const entry = { index, claimable, rules };
  indexes.set(facts, entry);
  return entry;
}
