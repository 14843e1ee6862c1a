/** The campaign workflow's type name, as clients start it and visibility queries find it. */
export const CAMPAIGN_WORKFLOW_TYPE = 'campaignWorkflow';
