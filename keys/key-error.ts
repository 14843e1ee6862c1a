/** A key or secret that is missing, already there, malformed, or not kept private; named for the operator. */
export class KeyError extends Error {
  override readonly name = 'KeyError';
}
