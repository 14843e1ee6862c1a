import type { TrailCheck } from '../domain/audit-verify';
import type { OutboxPackage } from '../domain/outbox-package';
import type { DsseEnvelope } from '../keys/dsse';
import { checkTimestamp } from '../keys/timestamps';

/** The timestamp authority roots a verifier trusts, and where they came from (said in the report). */
export interface TsaRoots {
  pems: string[];
  source: string;
}

/**
 * The `timestamps` line: a package published where a timestamp authority was configured carries RFC 3161 tokens over
 * the receipts' head and over every variant's marking signature, each for exactly those bytes, signed by the
 * authority and, given roots, chained to one of them. A package without them says no authority was configured (that
 * it had none when published is bound by the `published` line: removing them changes the package's hash).
 */
export async function timestampsCheck(pkg: OutboxPackage, roots: TsaRoots): Promise<TrailCheck> {
  const stamps = pkg.timestamps;
  if (!stamps) {
    return {
      name: 'timestamps',
      ok: true,
      detail:
        "none: no RFC 3161 timestamp authority was configured when it was published; its times are the workers' clocks",
    };
  }
  const fail = (detail: string): TrailCheck => ({ name: 'timestamps', ok: false, detail });
  const sealed = pkg.seal.receipts;
  if (sealed && (stamps.head?.seq !== sealed.seq || stamps.head.hash !== sealed.hash))
    return fail("the head's timestamp is not for the receipts' head the seal names");
  const items: { what: string; token: string; data: Uint8Array }[] = [];
  if (stamps.head) items.push({ what: 'the head', token: stamps.head.token, data: Buffer.from(stamps.head.hash) });
  for (const [id, envelope] of Object.entries(pkg.aiContent.signed ?? {})) {
    const stamp = stamps.variants[id];
    if (!stamp) return fail(`${id}: its marking has no timestamp`);
    const sig = (envelope as Partial<DsseEnvelope>).signatures?.[0]?.sig ?? '';
    items.push({ what: `${id}'s marking`, token: stamp.token, data: Buffer.from(sig, 'base64') });
  }
  if (roots.pems.length === 0)
    return fail(`${items.length} token(s), but no timestamp authority roots to tell who signed them (${roots.source})`);
  let signer = '';
  let at = '';
  for (const item of items) {
    const checked = await checkTimestamp(item.token, item.data, roots.pems);
    if (!checked.ok) return fail(`${item.what}: ${checked.problem}`);
    signer = checked.signer;
    at ||= checked.genTime;
  }
  return {
    name: 'timestamps',
    ok: true,
    detail: `${items.length} RFC 3161 token(s) by ${signer} from ${at}, each for exactly its bytes, chained to the roots in ${roots.source}`,
  };
}
