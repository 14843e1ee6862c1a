import { z } from 'zod';

/** A person's identity at the company's OpenID provider: who issued it and the subject it names. */
export interface Login {
  issuer: string;
  subject: string;
}

/**
 * What the login service (the codec server) says when it stamps a decision typed by a logged-in person: whose login
 * it verified, with its key. It covers the decision's own signed fields (campaign, run, plan, content hash, decision,
 * approver, time, note) and the login, so it is worth nothing on another campaign, run, content or person.
 */
export const attestationSchema = z
  .object({
    issuer: z.string().min(1).max(500),
    subject: z.string().min(1).max(255),
    keyId: z.string().regex(/^ed25519:[0-9a-f]{16}$/, 'must be a login service key id'),
    value: z.string().regex(/^[0-9a-f]{128}$/, 'must be 128 hex digits'),
    // Stamped over the decision's in-toto statement in a DSSE envelope; absent: over the fields as before.
    envelope: z.literal('dsse').optional(),
  })
  .strict();
export type Attestation = z.infer<typeof attestationSchema>;

/** The login service keys a deployment trusts (key id → Ed25519 public key, hex). */
export type Attesters = Record<string, string>;

/** A roster person's login, with the deployment's issuer where the roster names none; undefined without a login. */
export function loginOf(
  person: { login?: { subject: string; issuer?: string | undefined } | undefined },
  defaultIssuer: string | undefined,
): Login | undefined {
  const issuer = person.login?.issuer ?? defaultIssuer;
  return person.login && issuer ? { issuer, subject: person.login.subject } : undefined;
}
