import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

// RFC 3161 time-stamps: a timestamp authority (TSA) signs that a digest existed at a time, with a certificate of its
// own. The ASN.1 and CMS work is pkijs's; what is asked, and what is checked, is said here.

const SHA256 = '2.16.840.1.101.3.4.2.1';

/** A TSA's token over some bytes: its time, and the token itself (DER, base64) that `openssl ts -verify` reads. */
export interface Timestamp {
  /** The authority's URL the token was asked from (where, not who: who is the token's signer certificate). */
  authority: string;
  /** When the authority says the bytes existed (its `genTime`). */
  genTime: string;
  /** The TimeStampToken (a CMS SignedData over a TSTInfo), DER in base64. */
  token: string;
}

/** Why a timestamp could not be had or does not hold; the message names which. */
export class TimestampError extends Error {}

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

function view(bytes: Uint8Array | ArrayBuffer): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * Asks the TSA at `url` to time-stamp `data` (its SHA-256 only leaves this machine), with a fresh nonce and its
 * certificate in the reply; returns the token once its reply is granted and is for exactly this digest and nonce.
 */
export async function requestTimestamp(url: string, data: Uint8Array, timeoutMs = 10_000): Promise<Timestamp> {
  const digest = sha256(data);
  const nonce = randomBytes(8);
  nonce[0] = (nonce[0] ?? 0) & 0x7f; // a positive INTEGER
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: view(digest) }),
    }),
    nonce: new asn1js.Integer({ valueHex: view(nonce) }),
    certReq: true,
  });
  let reply: Response;
  try {
    reply = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: Buffer.from(request.toSchema().toBER()),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new TimestampError(`timestamp authority ${url}: unreachable (${(err as Error).message})`);
  }
  if (!reply.ok) throw new TimestampError(`timestamp authority ${url}: HTTP ${reply.status}`);
  const body = new Uint8Array(await reply.arrayBuffer());
  let response: pkijs.TimeStampResp;
  try {
    response = pkijs.TimeStampResp.fromBER(view(body));
  } catch {
    throw new TimestampError(`timestamp authority ${url}: the reply is not an RFC 3161 TimeStampResp`);
  }
  const status = response.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    const why = response.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
    throw new TimestampError(`timestamp authority ${url}: refused (status ${status}${why ? `: ${why}` : ''})`);
  }
  if (!response.timeStampToken) throw new TimestampError(`timestamp authority ${url}: granted, but sent no token`);
  const token = Buffer.from(response.timeStampToken.toSchema().toBER());
  const info = tstInfoOf(token);
  if (!Buffer.from(info.nonce?.valueBlock.valueHexView ?? []).equals(stripZeros(nonce))) {
    throw new TimestampError(`timestamp authority ${url}: the token answers another request (nonce differs)`);
  }
  if (!digestMatches(info, digest)) throw new TimestampError(`timestamp authority ${url}: the token is for other data`);
  return { authority: url, genTime: info.genTime.toISOString(), token: token.toString('base64') };
}

function stripZeros(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i += 1;
  return bytes.subarray(i);
}

function tstInfoOf(token: Uint8Array): pkijs.TSTInfo {
  const content = pkijs.ContentInfo.fromBER(view(token));
  if (content.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new TimestampError('not a CMS SignedData');
  const signed = new pkijs.SignedData({ schema: content.content });
  if (signed.encapContentInfo.eContentType !== pkijs.id_eContentType_TSTInfo || !signed.encapContentInfo.eContent) {
    throw new TimestampError('not a time-stamp token (its content is no TSTInfo)');
  }
  return pkijs.TSTInfo.fromBER(view(signed.encapContentInfo.eContent.getValue()));
}

function digestMatches(info: pkijs.TSTInfo, digest: Buffer): boolean {
  return (
    info.messageImprint.hashAlgorithm.algorithmId === SHA256 &&
    Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView).equals(digest)
  );
}

/** What a token proves once it checks: when, and who signed it. */
export type CheckedTimestamp = { ok: true; genTime: string; signer: string } | { ok: false; problem: string };

/**
 * Checks `token` (DER, base64) over `data`, offline: a time-stamp token for exactly SHA-256(`data`), its CMS
 * signature valid for the signer certificate it carries, and, when `trustedCerts` (PEM) are given, that certificate
 * issued by one of them. Without trusted certificates the signature is checked and the signer only named.
 */
export async function checkTimestamp(
  token: string,
  data: Uint8Array,
  trustedPem: string[] = [],
): Promise<CheckedTimestamp> {
  let info: pkijs.TSTInfo;
  let signed: pkijs.SignedData;
  const der = Buffer.from(token, 'base64');
  try {
    info = tstInfoOf(der);
    signed = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(view(der)).content });
  } catch (err) {
    return { ok: false, problem: `the timestamp is unreadable (${(err as Error).message})` };
  }
  if (!digestMatches(info, sha256(data))) return { ok: false, problem: 'the timestamp is for other data' };
  const trustedCerts = trustedPem.flatMap(certificatesOf);
  let verified = false;
  let signer: pkijs.Certificate | undefined;
  try {
    const result = await signed.verify({
      signer: 0,
      data: view(data),
      checkChain: trustedCerts.length > 0,
      trustedCerts,
      checkDate: info.genTime,
      extendedMode: true,
    });
    verified =
      result.signatureVerified === true && (trustedCerts.length === 0 || result.signerCertificateVerified === true);
    signer = result.signerCertificate ?? undefined;
  } catch {
    verified = false;
  }
  if (!verified) {
    return {
      ok: false,
      problem: trustedCerts.length
        ? "the timestamp's signature does not verify, or its signer is not issued by a trusted timestamp authority"
        : "the timestamp's signature does not verify",
    };
  }
  // RFC 3161 §2.3: the signer's certificate is for time-stamping only, by a critical extended key usage; a TLS or
  // any other certificate under the same root signs no valid token.
  if (!signer || !timeStampingOnly(signer)) {
    return { ok: false, problem: "the timestamp's signer certificate is not a time-stamping certificate (RFC 3161)" };
  }
  const name =
    signer?.subject.typesAndValues.map((tv) => String(tv.value.valueBlock.value)).join(', ') ?? 'an unnamed signer';
  return {
    ok: true,
    genTime: info.genTime.toISOString(),
    signer: trustedCerts.length ? name : `${name} (not checked against a trusted authority)`,
  };
}

/** The certificates in a PEM text. */
function certificatesOf(pem: string): pkijs.Certificate[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g)].map((m) =>
    pkijs.Certificate.fromBER(view(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'))),
  );
}

/**
 * A token from the deployment's authority over `data`, checked before it is kept: against the authority's roots when
 * the deployment names them, so a publisher never ships a token an auditor would reject.
 */
export async function timestampOver(
  authority: { url: string; roots: string[] },
  data: Uint8Array,
): Promise<{ genTime: string; token: string }> {
  const { genTime, token } = await requestTimestamp(authority.url, data);
  const checked = await checkTimestamp(token, data, authority.roots);
  if (!checked.ok) throw new TimestampError(`timestamp authority ${authority.url}: ${checked.problem}`);
  return { genTime, token };
}

/** The root certificates (PEM) in `file`, one text per certificate; an error naming the file when it holds none. */
export function readTsaRoots(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new TimestampError(`CAMPAIGN_TSA_ROOTS: cannot read ${file}`);
  }
  const roots = [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => m[0]);
  if (roots.length === 0) throw new TimestampError(`CAMPAIGN_TSA_ROOTS: ${file} holds no PEM certificate`);
  return roots;
}

const EXTENDED_KEY_USAGE = '2.5.29.37';
const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

/** Whether `cert` carries the critical extended key usage of time-stamping, and only that (RFC 3161 §2.3). */
function timeStampingOnly(cert: pkijs.Certificate): boolean {
  const eku = cert.extensions?.find((e) => e.extnID === EXTENDED_KEY_USAGE);
  const purposes = (eku?.parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? [];
  return eku?.critical === true && purposes.length === 1 && purposes[0] === TIME_STAMPING;
}
