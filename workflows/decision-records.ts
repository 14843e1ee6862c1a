import { ApplicationFailure } from '@temporalio/workflow';
import type { Actor } from '../domain/audit';
import { Failure } from '../domain/failures';

/** The person behind a decision at a gate, and how their identity was established, as the audit trail records it. */
export function decidingPerson(
  approver: string,
  signature: { keyId: string } | undefined,
  attestation?: { issuer: string; subject: string; keyId: string },
): Actor {
  return {
    kind: 'person',
    id: approver,
    establishedBy: attestation
      ? `login at ${attestation.issuer} (subject ${attestation.subject}), stamped by login service key ${attestation.keyId}, verified against the approval plan`
      : signature
        ? `Ed25519 signature by key ${signature.keyId}, verified against the approval plan`
        : 'self-declared, checked against the approval plan',
  };
}

/** A gate's refusal of a decision: the validator's message, shown to the sender, without a stack to leak. */
export function refused(message: string): ApplicationFailure {
  const failure = ApplicationFailure.create({ message, type: Failure.DecisionRefused, nonRetryable: true });
  failure.stack = '';
  return failure;
}
