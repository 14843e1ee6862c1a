import type pg from 'pg';

/** What the registry holds for a published campaign id. */
export interface Publication {
  runId: string;
  contentHash: string;
  publishedBy: string;
}

/** The outcome of claiming an id: this run's (new, or a retry of the same publication), or someone else's. */
export type Claim = { kind: 'claimed' } | { kind: 'taken'; by: Publication };

/** Campaign ids that have published, across every machine: an id publishes once, by a primary key. */
export interface PublicationRegistry {
  /**
   * Claims `campaignId` for this run and content before anything is written. A retry of the same run with the same
   * content finds its own claim and may write again (the same package); any other run or content finds it taken.
   */
  claim(campaignId: string, publication: Publication): Promise<Claim>;
  /** The publication of `campaignId`, if it has one. */
  of(campaignId: string): Promise<Publication | null>;
}

/** The registry in `pool`'s governance schema. */
export function pgPublicationRegistry(pool: pg.Pool): PublicationRegistry {
  const of = async (campaignId: string): Promise<Publication | null> => {
    const rows = await pool.query<{ run_id: string; content_hash: string; published_by: string }>(
      'SELECT run_id, content_hash, published_by FROM governance.publications WHERE campaign_id = $1',
      [campaignId],
    );
    const row = rows.rows[0];
    return row ? { runId: row.run_id, contentHash: row.content_hash, publishedBy: row.published_by } : null;
  };
  return {
    async claim(campaignId, publication) {
      const inserted = await pool.query(
        `INSERT INTO governance.publications (campaign_id, run_id, content_hash, published_by)
         VALUES ($1, $2, $3, $4) ON CONFLICT (campaign_id) DO NOTHING`,
        [campaignId, publication.runId, publication.contentHash, publication.publishedBy],
      );
      if (inserted.rowCount === 1) return { kind: 'claimed' };
      const by = await of(campaignId);
      if (by && by.runId === publication.runId && by.contentHash === publication.contentHash)
        return { kind: 'claimed' };
      return { kind: 'taken', by: by ?? { runId: 'unknown', contentHash: '', publishedBy: 'unknown' } };
    },
    of,
  };
}
