/**
 * A map that keeps at most `limit` entries, dropping the one used longest ago: for results that are pure functions
 * of their key (what a text's personal data is, which key object some bytes make) and come back often.
 */
export function boundedCache<V>(limit: number): { get(key: string, make: (key: string) => V): V } {
  const entries = new Map<string, V>();
  return {
    get(key, make) {
      if (entries.has(key)) {
        const value = entries.get(key) as V;
        // Maps keep insertion order: moved to the end, it is the last to go.
        entries.delete(key);
        entries.set(key, value);
        return value;
      }
      const value = make(key);
      entries.set(key, value);
      if (entries.size > limit) entries.delete(entries.keys().next().value as string);
      return value;
    },
  };
}
