/** The consent purposes a first-party segment can be used for. */
export const CONSENT_PURPOSES = ['email-marketing', 'personalised-ads', 'analytics'] as const;

/** One of {@link CONSENT_PURPOSES}. */
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
