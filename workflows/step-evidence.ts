import type { Provenance } from '../domain/campaign';

/** A step's evidence beyond hashes: a review's findings and claim counts; the passages screened as injections. */
export function stepDetail(output: unknown, provenance: Provenance | undefined): Record<string, unknown> | undefined {
  const detail: Record<string, unknown> = {};
  if (output && typeof output === 'object' && 'findings' in output) {
    const { findings, claims, blocking } = output as { findings: unknown; claims?: unknown; blocking?: unknown };
    Object.assign(detail, { findings, claims, blocking });
  }
  const screened = (output as { screened?: unknown[] } | null)?.screened ?? [];
  const injections = [...screened, ...(provenance?.injections ?? [])];
  if (injections.length > 0) detail.injections = injections;
  return Object.keys(detail).length > 0 ? detail : undefined;
}

/** The model provenance of an agent's output, if the step called a model. */
export function provenanceOf(output: object): Provenance | undefined {
  return 'provenance' in output ? (output.provenance as Provenance) : undefined;
}
