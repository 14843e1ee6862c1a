/**
 * Server limits that bound what a Signal can add to a campaign's history. A Signal is written to history before any
 * workflow code sees it, so no handler can refuse one; campaigns started today register no Signal handler at all.
 * With at most 64 Signals of at most 512 KiB each, Signals add at most 32 MiB, under the 50 MiB at which Temporal
 * ends an execution ("history size exceeds limit"). Self-hosted clusters set the same keys in their dynamic config
 * (docs/security.md); Temporal Cloud's limits are fixed.
 */
export const HISTORY_LIMITS = {
  /** Largest payload of a Signal, an Update or an activity result the server accepts. */
  'limit.blobSize.error': 512 * 1024,
  'limit.blobSize.warn': 256 * 1024,
  /** Signals an execution may receive; later ones are refused by the server. */
  'history.maximumSignalsPerExecution': 64,
} as const;

/** The same as `temporal server start-dev` flags. */
export function historyLimitFlags(): string[] {
  return Object.entries(HISTORY_LIMITS).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${value}`]);
}
