import { ClientError } from '../client/errors';
import { SettingsError } from '../config/settings';
import { KeyError } from '../keys/key-error';
import { DatabaseError } from '../store/database-error';

/** A failure the user can fix: one line on stderr and a non-zero exit code (2 for bad input). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Exit code for input the user gave wrongly (a bad brief, a missing option). */
export const BAD_INPUT = 2;

/** The exit code for a client library failure: bad input is 2, anything else 1. */
export function exitCodeOf(err: ClientError): number {
  switch (err.kind) {
    case 'bad-brief':
    case 'already-started':
      return BAD_INPUT;
    case 'unreachable':
    case 'not-found':
    case 'gate-not-reached':
    case 'key':
    case 'not-sent':
      return 1;
    default:
      return err.kind satisfies never;
  }
}

/** The one line and exit code a failure ends the CLI with; unknown failures exit 1 with their message. */
export function describeFailure(err: unknown): { message: string; exitCode: number } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  if (err instanceof ClientError) return { message: err.message, exitCode: exitCodeOf(err) };
  if (err instanceof SettingsError) return { message: `settings: ${err.message}`, exitCode: BAD_INPUT };
  if (err instanceof KeyError) return { message: err.message, exitCode: 1 };
  if (err instanceof DatabaseError) return { message: err.message, exitCode: 1 };
  if (err instanceof Error && /Unknown encoding: binary\/encrypted/.test(err.message)) {
    return {
      message:
        'the campaign data is encrypted and no payload key is configured here: set CAMPAIGN_CODEC_KEYS or ' +
        'CAMPAIGN_CODEC_KEY_FILE (or use the key folder `npm start` made)',
      exitCode: 1,
    };
  }
  return { message: err instanceof Error ? err.message : String(err), exitCode: 1 };
}
