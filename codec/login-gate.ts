import type { IncomingHttpHeaders } from 'node:http';
import type { Payload } from '@temporalio/common';
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { briefSchema } from '../domain/brief';
import type { CampaignInput } from '../domain/campaign';
import type { Decision } from '../domain/decision';
import { DSSE } from '../domain/decision-envelope';
import { hashOf } from '../domain/hash';
import type { Person } from '../domain/knowledge';
import { type Login, loginOf } from '../domain/login';
import { attestDecision } from '../domain/login-attestation';
import { attestStart } from '../domain/start-request';

/** Who is calling the codec server: a roster person, by the login their ID token proves. */
export interface LoggedIn {
  person: string;
  login: Login;
}

/** What the codec server asks of a login: who the caller is, and the stamp on what they typed. */
export interface LoginGate {
  /** The roster person whose valid ID token came with the request, or why there is none. */
  authenticate(headers: IncomingHttpHeaders): Promise<LoggedIn | { refusal: string }>;
  /** `payloads` as typed in the UI, with every decision and campaign start in them stamped as `who`'s. */
  stamp(payloads: Payload[], who: LoggedIn): Payload[];
}

const DECISIONS = new Set(['approve', 'reject', 'request-changes']);
const text = new TextDecoder();
const utf8 = new TextEncoder();

/**
 * The login gate of the company's OpenID provider `issuer`: an ID token (the UI sends it as `Authorization-Extras`)
 * must verify against the issuer's published keys, be for one of `clientIds` (the UI's, the CLI's) and unexpired, and
 * name the login of a roster
 * person. A decision typed by that person is then stamped with the login service's key (`secretKeyHex`): the approver
 * is the login, whatever the typed data says, and the time is now.
 */
export function createLoginGate(options: {
  issuer: string;
  clientIds: readonly string[];
  people: () => readonly Person[];
  secretKeyHex: string;
  now?: () => Date;
}): LoginGate {
  const { issuer, clientIds, secretKeyHex } = options;
  const now = options.now ?? (() => new Date());
  let keys: JWTVerifyGetKey | undefined;
  const keysOfIssuer = async (): Promise<JWTVerifyGetKey> => {
    if (keys) return keys;
    const discovery = (await (await fetch(new URL('.well-known/openid-configuration', `${issuer}/`))).json()) as {
      jwks_uri?: string;
    };
    if (!discovery.jwks_uri) throw new Error(`${issuer} publishes no jwks_uri`);
    keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
    return keys;
  };
  /**
   * A campaign's start typed in the UI's Start Workflow form (`{"campaignId": <the Workflow ID>, "brief": {...}}`),
   * stamped with the login as its requester: the brief as it parses, its hash and the campaign id are what the stamp
   * covers. Null (left as typed, for the workflow to refuse) when the brief does not parse; unstamped without an id.
   */
  const stampStart = (fields: Record<string, unknown>, who: LoggedIn): CampaignInput | null => {
    const brief = briefSchema.safeParse(fields.brief);
    if (!brief.success) return null;
    const { campaignId } = fields;
    // The requester is the login even where there is no id to stamp for (the planner then refuses it as unsigned).
    if (typeof campaignId !== 'string') return { brief: brief.data, requestedBy: who.person };
    const start = attestStart(campaignId, hashOf(brief.data), who.person, who.login, secretKeyHex, now());
    return { brief: brief.data, requestedBy: who.person, start };
  };
  return {
    async authenticate(headers) {
      const raw = headers['authorization-extras'];
      const idToken = Array.isArray(raw) ? raw[0] : raw;
      if (!idToken) return { refusal: 'sign in: no ID token came with the request' };
      let subject: string;
      try {
        const { payload } = await jwtVerify(idToken.replace(/^Bearer /, ''), await keysOfIssuer(), {
          issuer,
          audience: [...clientIds],
          currentDate: now(),
        });
        if (!payload.sub) return { refusal: 'the ID token names no subject' };
        subject = payload.sub;
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'invalid';
        return { refusal: `the ID token does not verify (${code}): sign in again` };
      }
      const person = options.people().find((p) => {
        const login = loginOf(p, issuer);
        return login?.issuer === issuer && login.subject === subject;
      });
      if (!person) return { refusal: `the login ${subject} at ${issuer} is no one in the roster` };
      return { person: person.id, login: { issuer, subject } };
    },
    stamp(payloads, who) {
      return payloads.map((payload) => {
        const encoding = payload.metadata?.encoding;
        if (!encoding || text.decode(encoding) !== 'json/plain') return payload;
        let typed: unknown;
        try {
          typed = JSON.parse(text.decode(payload.data ?? new Uint8Array()));
        } catch {
          return payload;
        }
        if (!typed || typeof typed !== 'object' || Array.isArray(typed)) return payload;
        const fields = typed as Record<string, unknown>;
        const start = 'brief' in fields && !('decision' in fields) ? stampStart(fields, who) : null;
        if (start) return { ...payload, data: utf8.encode(JSON.stringify(start)) };
        if (typeof fields.decision !== 'string' || !DECISIONS.has(fields.decision)) return payload;
        // Only what the person typed about the decision; who decided and when is the login's and now.
        // `envelope` says which form to stamp in (the campaign's details ask for `dsse` where its build verifies it).
        const { approver: _a, signature: _s, attestation: _t, decidedAt: _d, envelope, ...rest } = fields;
        if (typeof rest.campaignId !== 'string') return payload;
        const decision = { ...rest, approver: who.person, decidedAt: now().toISOString() } as unknown as Decision;
        const stamped = attestDecision(
          rest.campaignId,
          decision,
          who.login,
          secretKeyHex,
          envelope === DSSE ? { envelope: DSSE } : {},
        );
        return { ...payload, data: utf8.encode(JSON.stringify(stamped)) };
      });
    },
  };
}
