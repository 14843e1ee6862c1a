import type { ConsentPurpose } from './consent';

/** The channels a campaign can write for. */
export const CHANNELS = ['search-ad', 'email', 'social', 'display'] as const;

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
  // Responsive display ads: a 30-character short headline, a 90-character description.
  display: { headline: 30, body: 90 },
};

/**
 * The consent a channel needs from the audience's records. E-mail advertising needs prior consent (UWG §7 Abs. 2);
 * display ads shown to the segment's people are personalised and need consent to that (GDPR Art. 6(1)(a), TTDSG §25).
 * Keyword-targeted search ads and organic social posts reach no one through first-party data and need none.
 */
export const CHANNEL_CONSENT: Record<Channel, ConsentPurpose | null> = {
  email: 'email-marketing',
  display: 'personalised-ads',
  'search-ad': null,
  social: null,
};
