/** The channels a campaign can write for. */
export const CHANNELS = ['search-ad', 'email', 'social'] as const;

/** One of {@link CHANNELS}. */
export type Channel = (typeof CHANNELS)[number];

/** Character limits per variant field, from the platforms' own limits. */
export const CHANNEL_LIMITS: Record<Channel, Record<string, number>> = {
  // Google Ads responsive search ads: 30-character headlines, 90-character descriptions.
  'search-ad': { headline: 30, body: 90 },
  // Subject lines past about 60 characters are cut in most mail clients.
  email: { headline: 60, body: 1200 },
  // LinkedIn shows about 150 characters before "see more"; X allows 280.
  social: { headline: 80, body: 280 },
};
