/** The database cannot be used: unreachable, refused, or on a schema this code does not know. One line. */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
}
