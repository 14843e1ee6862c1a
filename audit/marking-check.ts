import { type MarkedCopy, markingRefusal } from '../domain/ai-marking';
import type { TrailCheck } from '../domain/audit-verify';
import type { OutboxPackage } from '../domain/outbox-package';
import { openEnvelope } from '../keys/dsse';

/** One variant's machine-readable marking, checked. */
export interface VariantMarking {
  variant: string;
  ok: boolean;
  detail: string;
}

/**
 * Checks every published variant's signed AI marking in `pkg` against the trusted worker keys: signed, for exactly
 * this copy, saying a model made it. A variant without one is reported, as is a package that has none at all.
 */
export function checkMarkings(pkg: OutboxPackage, trusted: Record<string, string>): VariantMarking[] {
  const signed = pkg.aiContent.signed ?? {};
  return (pkg.variants as Partial<MarkedCopy>[]).map((raw) => {
    const copy: MarkedCopy = {
      id: String(raw.id ?? '?'),
      channel: String(raw.channel ?? ''),
      headline: String(raw.headline ?? ''),
      body: String(raw.body ?? ''),
    };
    const opened = openEnvelope(signed[copy.id], trusted);
    if (!opened.ok) return { variant: copy.id, ok: false, detail: `${copy.id}: ${opened.problem}` };
    const refusal = markingRefusal(opened.statement, copy);
    if (refusal) return { variant: copy.id, ok: false, detail: `${copy.id}: ${refusal}` };
    const { predicate } = opened.statement as { predicate: Record<string, unknown> };
    const model = predicate.model as { name?: string } | undefined;
    return {
      variant: copy.id,
      ok: true,
      detail: `${copy.id}: marked AI-generated (${String(predicate.digitalSourceType).split('/').at(-1)}, model ${model?.name ?? '?'}), signed by ${opened.keyId}`,
    };
  });
}

/** The `marking` line of `audit verify`: every variant marked, or the first that is not. */
export function markingCheck(pkg: OutboxPackage, trusted: Record<string, string>): TrailCheck {
  if (!pkg.aiContent.signed) {
    return {
      name: 'marking',
      ok: true,
      detail:
        'the package has no machine-readable AI marking (published before it existed); its human-readable one stays',
    };
  }
  const results = checkMarkings(pkg, trusted);
  const bad = results.find((r) => !r.ok);
  return bad
    ? { name: 'marking', ok: false, detail: bad.detail }
    : {
        name: 'marking',
        ok: true,
        detail: `${results.length} variant(s), each with a signed in-toto statement that a model made exactly this copy`,
      };
}
