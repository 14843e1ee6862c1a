/** A failure the user can fix: one line on stderr and a non-zero exit code (2 for bad input). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Exit code for input the user gave wrongly (a bad brief, a missing option). */
export const BAD_INPUT = 2;
