import type { NoticeInput } from '../activities/notifier';
import type { AuditChain } from './audit-chain';
import { sendNotice } from './governed-steps';
import type { CampaignPatches } from './patches';

/**
 * Tells people through the notifier, and writes to the audit trail that it did (with the policy that allowed it) or
 * could not; a notice that cannot go out never stops the campaign.
 */
export async function tell(
  input: NoticeInput,
  audit: AuditChain,
  patches: Pick<CampaignPatches, 'roleQueues' | 'leanCommands'>,
): Promise<void> {
  const about = { kind: input.kind, ...(input.round !== undefined ? { round: input.round } : {}) };
  try {
    const { sent, policy } = await sendNotice(input, patches);
    audit.append({
      step: 'notice',
      actor: { kind: 'agent', id: 'notifier', establishedBy: 'worker task queue' },
      action: 'notify.send',
      outcome: 'ok',
      policy,
      detail: { ...about, to: input.to, via: sent },
    });
  } catch (err) {
    audit.append({
      step: 'notice',
      actor: { kind: 'system', id: 'workflow', establishedBy: 'workflow' },
      action: 'notify.send',
      outcome: 'failed',
      detail: {
        ...about,
        message: err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err),
      },
    });
  }
}
