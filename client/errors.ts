/** What went wrong for a client of the campaign service; the CLI maps each kind to an exit code. */
export type ClientErrorKind =
  /** A brief file that cannot be read or does not validate. */
  | 'bad-brief'
  /** No Temporal answers at the configured address. */
  | 'unreachable'
  /** No workflow has the id. */
  | 'not-found'
  /** A campaign with the id is already running. */
  | 'already-started'
  /** The campaign closed, or time ran out, before its approval gate opened. */
  | 'gate-not-reached'
  /** A signing key is missing, already there, or not kept private. */
  | 'key'
  /** A decision the client refuses to send (nothing waits, no worker, not confirmed). */
  | 'not-sent';

/** A failure a client can name to its user in one line; `cause` keeps what the library underneath said. */
export class ClientError extends Error {
  override readonly name = 'ClientError';
  constructor(
    readonly kind: ClientErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The first line of an error's message, for a hint in parentheses after our own message. */
export function firstLineOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? '').trim();
}
