import { z } from 'zod';

/** What a roster id may hold, in the words a usage message gives. */
export const ROSTER_ID_CHARACTERS = 'lower-case letters, digits, "." and "-"';

/**
 * A roster id: lower-case letters, digits, dots and dashes, at most 64. The roster names people by it, and requests,
 * decisions and reminders name them only by an id of this shape.
 */
export const rosterIdSchema = z.string().regex(/^[a-z0-9.-]{1,64}$/, 'must be a roster id');
