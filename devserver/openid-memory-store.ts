import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

/**
 * Where the local OpenID provider keeps sessions, grants and codes: this process's memory, one map for all kinds,
 * entries dropped when they expire. A restart signs everyone out, which the demo accepts; never for production.
 */
export function memoryStore(): AdapterFactory {
  const entries = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const byUid = new Map<string, string>();
  const byUserCode = new Map<string, string>();
  const byGrant = new Map<string, Set<string>>();
  const live = (key: string | undefined): AdapterPayload | undefined => {
    const entry = key ? entries.get(key) : undefined;
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key as string);
      return undefined;
    }
    return entry.payload;
  };
  return (kind: string): Adapter => {
    const key = (id: string) => `${kind}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        entries.set(key(id), { payload, expiresAt: Date.now() + (expiresIn ?? 3600) * 1000 });
        if (payload.uid) byUid.set(payload.uid, key(id));
        if (payload.userCode) byUserCode.set(payload.userCode, key(id));
        if (payload.grantId) byGrant.set(payload.grantId, (byGrant.get(payload.grantId) ?? new Set()).add(key(id)));
      },
      find: async (id) => live(key(id)),
      findByUid: async (uid) => live(byUid.get(uid)),
      findByUserCode: async (userCode) => live(byUserCode.get(userCode)),
      async consume(id) {
        const payload = live(key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const k of byGrant.get(grantId) ?? []) entries.delete(k);
        byGrant.delete(grantId);
      },
    };
  };
}
