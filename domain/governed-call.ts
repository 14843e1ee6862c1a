import type { AuditEvent, GovernedCall } from './audit';

/**
 * Opens the argument a governed activity was called with: a {@link GovernedCall} envelope gives the activity's input
 * and the audit events that rode along. Activities scheduled before the envelope carried the events spread into
 * their input (`audit` beside the input's own fields); those open the same way. Anything else is an input without
 * events. The one home of this rule: the governance interceptor and the auditor's history check both use it.
 */
export function openGovernedCall(arg: unknown): { input: unknown; audit: AuditEvent[] } {
  if (!arg || typeof arg !== 'object' || !Array.isArray((arg as { audit?: unknown }).audit)) {
    return { input: arg, audit: [] };
  }
  const record = arg as Record<string, unknown>;
  if (Object.keys(record).length === 2 && 'input' in record) {
    const { input, audit } = record as unknown as GovernedCall<unknown>;
    return { input, audit };
  }
  const { audit, ...rest } = record as { audit: AuditEvent[] };
  return { input: rest, audit };
}
