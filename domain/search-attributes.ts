import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Where a campaign stands; the approvers' inbox in the UI filters on `CampaignStage = "awaiting-approval"`. */
export const CampaignStage = defineSearchAttributeKey('CampaignStage', SearchAttributeType.KEYWORD);

/** The risk class fixed by the approval plan (`standard` or `high`). */
export const CampaignRisk = defineSearchAttributeKey('CampaignRisk', SearchAttributeType.KEYWORD);

/** The brand id from the brief; never a person or personal data. */
export const CampaignBrand = defineSearchAttributeKey('CampaignBrand', SearchAttributeType.KEYWORD);

/** Inbox tokens (see `domain/inbox.ts`) of the people who may decide on the campaign now; empty when nobody need. */
export const CampaignInbox = defineSearchAttributeKey('CampaignInbox', SearchAttributeType.KEYWORD_LIST);

/** Every custom search attribute the workflows set; servers must register them before the first campaign. */
export const CAMPAIGN_SEARCH_ATTRIBUTES = [CampaignStage, CampaignRisk, CampaignBrand, CampaignInbox] as const;

/** The type names `temporal server start-dev --search-attribute` and `temporal operator search-attribute` take. */
const CLI_TYPE: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/** The same, as `temporal server start-dev --search-attribute` expects them. */
export const SEARCH_ATTRIBUTE_FLAGS: readonly string[] = CAMPAIGN_SEARCH_ATTRIBUTES.map(
  (key) => `${key.name}=${CLI_TYPE[key.type]}`,
);
