import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { dirname } from 'node:path';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { fromJson, type JsonPayload, toJson } from '../codec/json-payloads';
import type { LoginSettings } from '../config/settings';
import { ClientError } from './errors';

/**
 * A person signed in at the company's OpenID provider from the CLI (`campaign login`): their ID token, and the codec
 * server that verifies it and stamps what they decide. Kept in one file, readable by its owner only.
 */
export const sessionSchema = z
  .object({
    issuer: z.string().url(),
    subject: z.string().min(1),
    idToken: z.string().min(1),
    expiresAt: z.iso.datetime(),
    codecUrl: z.string().url(),
    caFile: z.string().optional(),
  })
  .strict();
export type LoginSession = z.infer<typeof sessionSchema>;

/** Keeps `session` in `file` (mode 600). */
export function saveSession(file: string, session: LoginSession): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
}

/** Forgets the session in `file`; true if there was one. */
export function forgetSession(file: string): boolean {
  if (!existsSync(file)) return false;
  rmSync(file);
  return true;
}

/**
 * The session in `file`, or null when nobody signed in here. An expired or unreadable one is an error that says what
 * to do, not a silent fall back to keys: the person meant to decide by their login.
 */
export function currentSession(file: string, now = new Date()): LoginSession | null {
  if (!existsSync(file)) return null;
  let parsed: LoginSession;
  try {
    parsed = sessionSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    throw new ClientError('key', `${file} is not a login session: run \`npx campaign login\` again`);
  }
  if (Date.parse(parsed.expiresAt) <= now.getTime()) {
    throw new ClientError(
      'key',
      `your login at ${parsed.issuer} expired at ${parsed.expiresAt}: run \`npx campaign login\` again (or \`npx campaign logout\` to decide with your key)`,
    );
  }
  return parsed;
}

/** Where `campaign login` signs in: the settings, else what the local stack (`campaign dev`) wrote about itself. */
export function loginTarget(login: LoginSettings): {
  issuer: string;
  clientId: string;
  codecUrl: string;
  caFile?: string;
} {
  const local = existsSync(login.localFile)
    ? (JSON.parse(readFileSync(login.localFile, 'utf8')) as { issuer?: string; codecUrl?: string; caFile?: string })
    : {};
  const issuer = login.issuer ?? local.issuer;
  const codecUrl = login.codecUrl ?? local.codecUrl;
  if (!issuer) {
    throw new ClientError('key', 'CAMPAIGN_OIDC_ISSUER: not set, and no local stack runs here (`npm start`)');
  }
  if (!codecUrl) {
    throw new ClientError('key', 'CAMPAIGN_CODEC_URL: not set: the codec server that stamps decisions for your login');
  }
  const caFile = login.codecCaFile ?? local.caFile;
  return { issuer, clientId: login.cliClientId, codecUrl, ...(caFile ? { caFile } : {}) };
}

/**
 * The payload codec of a signed-in CLI: the codec server, with the person's ID token. It encrypts and decrypts (the CLI
 * needs no payload key of its own) and stamps a decision or a start as the person's.
 */
export function sessionCodec(session: LoginSession, namespace: string): PayloadCodec {
  const ca = session.caFile && existsSync(session.caFile) ? readFileSync(session.caFile, 'utf8') : undefined;
  const call = (action: 'encode' | 'decode', payloads: Payload[]) =>
    postPayloads(
      `${session.codecUrl}/${action}`,
      payloads,
      {
        'authorization-extras': session.idToken,
        'x-namespace': namespace,
      },
      ca,
    );
  return { encode: (p) => call('encode', p), decode: (p) => call('decode', p) };
}

function postPayloads(
  url: string,
  payloads: Payload[],
  headers: Record<string, string>,
  ca: string | undefined,
): Promise<Payload[]> {
  const body = JSON.stringify({ payloads: payloads.map(toJson) });
  return new Promise((done, fail) => {
    const req = request(
      url,
      { method: 'POST', ...(ca ? { ca } : {}), headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => {
          let answer: { payloads?: JsonPayload[]; message?: string };
          try {
            answer = JSON.parse(text);
          } catch {
            answer = {};
          }
          if (res.statusCode !== 200 || !Array.isArray(answer.payloads)) {
            fail(
              new ClientError(
                'key',
                `the codec server at ${new URL(url).origin} refused (${res.statusCode}): ${answer.message ?? 'no reason given'}`,
              ),
            );
            return;
          }
          done(answer.payloads.map(fromJson));
        });
      },
    );
    req.on('error', (err) =>
      fail(
        new ClientError('unreachable', `the codec server at ${new URL(url).origin} did not answer (${err.message})`),
      ),
    );
    req.end(body);
  });
}
