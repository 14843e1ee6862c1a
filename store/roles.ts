/** The database the governance store lives in, on a server of its own or shared (the local stack makes it). */
export const DATABASE_NAME = 'campaigns';

/** The role that owns the schema and runs migrations: operators only, never a worker. */
export const OWNER_ROLE = 'campaign_owner';

/**
 * The role workers and the CLI connect as: it may read everything and insert evidence, never update or delete it (the
 * migrations grant exactly that), and may delete only cached model answers.
 */
export const WORKER_ROLE = 'campaign_worker';

/** The schema all tables live in. */
export const SCHEMA = 'governance';
