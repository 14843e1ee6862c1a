import type { AuditEvent } from '../domain/audit';
import type { TrailVerification } from '../domain/audit-verify';
import type { ReviewFinding } from '../domain/campaign';
import { markdownText as md } from '../domain/escape';
import type { OutboxPackage } from '../domain/outbox-package';

/** What a compliance officer reads about one campaign, as data. */
export interface AuditReport {
  campaignId: string;
  runIds: string[];
  verification: TrailVerification;
  steps: {
    seq: number;
    at: string;
    step: string;
    actor: string;
    establishedBy: string;
    action: string;
    outcome: string;
    policyIds: string[];
    policySetHash: string | null;
    model: string | null;
    promptTemplateHash: string | null;
    tokens: number | null;
    costEur: number | null;
    codeBuildId: string | null;
  }[];
  findings: (ReviewFinding & { seq: number })[];
  decisions: {
    seq: number;
    at: string;
    approver: string;
    decision: string;
    outcome: string;
    contentHash: string | null;
    note: string | null;
    establishedBy: string;
    decidedAt: string | null;
  }[];
  failures: { seq: number; step: string; message: string }[];
  package: (OutboxPackage['seal'] & { contentHash: string; approvedBy: string[] }) | null;
}

/** Builds the report from the stored trail, its verification and the published package. */
export function auditReport(
  campaignId: string,
  events: readonly AuditEvent[],
  verification: TrailVerification,
  pkg: OutboxPackage | null,
): AuditReport {
  return {
    campaignId,
    runIds: [...new Set(events.map((e) => e.runId))],
    verification,
    steps: events.map((e) => ({
      seq: e.seq,
      at: e.at,
      step: e.step,
      actor: `${e.actor.kind}:${e.actor.id}`,
      establishedBy: e.actor.establishedBy,
      action: e.action,
      outcome: e.outcome,
      policyIds: e.policy?.policyIds ?? [],
      policySetHash: e.policy?.policySetHash ?? null,
      model: e.model ? `${e.model.provider}/${e.model.model}` : null,
      promptTemplateHash: e.model?.promptTemplateHash ?? null,
      tokens: e.usage ? e.usage.inputTokens + e.usage.outputTokens : null,
      costEur: e.usage?.costEur ?? null,
      codeBuildId: e.policy?.code?.buildId ?? null,
    })),
    findings: events.flatMap((e) => {
      const found = (e.detail as { findings?: ReviewFinding[] } | undefined)?.findings ?? [];
      return found.map((f) => ({ ...f, seq: e.seq }));
    }),
    decisions: events
      .filter((e) => e.step === 'approval')
      .map((e) => {
        const detail = (e.detail ?? {}) as { contentHash?: string; note?: string; reason?: string; decidedAt?: string };
        return {
          seq: e.seq,
          at: e.at,
          approver: e.actor.id,
          decision: e.action,
          outcome: e.outcome,
          contentHash: detail.contentHash ?? null,
          note: detail.note ?? detail.reason ?? null,
          establishedBy: e.actor.establishedBy,
          decidedAt: detail.decidedAt ?? null,
        };
      }),
    failures: events
      .filter((e) => e.outcome === 'failed')
      .map((e) => ({ seq: e.seq, step: e.step, message: String((e.detail as { message?: string })?.message ?? '') })),
    package: pkg ? { ...pkg.seal, contentHash: pkg.approval.contentHash, approvedBy: pkg.approval.approvedBy } : null,
  };
}

/** The report as Markdown; every recorded text is escaped. */
export function renderAuditReport(report: AuditReport): string {
  const { verification } = report;
  const lines = [
    `# Audit report: ${md(report.campaignId)}`,
    '',
    `Run(s): ${report.runIds.map(md).join(', ')} · Trail: ${verification.ok ? '**verified**' : `**BROKEN** (first bad event: ${verification.firstBad ?? 'see checks'})`}`,
    '',
    ...verification.checks.map((c) => `- ${c.ok ? '✔' : '✘'} ${c.name}: ${md(c.detail)}`),
    '',
    '## Steps',
    '',
    '| # | time | step | actor | established by | action | outcome | policies | policy set | model | prompt | tokens | cost € |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...report.steps
      .map((s) =>
        [
          s.seq,
          s.at,
          s.step,
          md(s.actor),
          md(s.establishedBy),
          s.action,
          s.outcome,
          s.policyIds.map(md).join(', ') || '-',
          short(s.policySetHash),
          s.model ? md(s.model) : '-',
          short(s.promptTemplateHash),
          s.tokens ?? '-',
          s.costEur === null ? '-' : s.costEur.toFixed(4),
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
    '',
    '## Reviewer findings',
    '',
    ...(report.findings.length === 0
      ? ['none recorded']
      : report.findings.map(
          (f) =>
            `- event ${f.seq}: ${f.blocking ? 'blocking' : 'advisory'} ${f.kind} in ${md(f.variantId)}: ${md(f.detail)}`,
        )),
    '',
    '## Decisions (refused ones too)',
    '',
    ...(report.decisions.length === 0
      ? ['none']
      : report.decisions.map(
          (d) =>
            `- event ${d.seq}, ${d.at}: ${md(d.approver)} ${d.decision} (${d.outcome}) on content ${short(d.contentHash)}` +
            `${d.note ? `: "${md(d.note)}"` : ''}; identity: ${md(d.establishedBy)}${d.decidedAt ? `, decided ${d.decidedAt}` : ''}`,
        )),
    '',
    ...(report.failures.length === 0
      ? []
      : ['## Failures', '', ...report.failures.map((f) => `- event ${f.seq} (${f.step}): ${md(f.message)}`), '']),
    '## Published package',
    '',
    report.package
      ? `Sealed for ${md(report.package.workflowId)} (run ${md(report.package.runId ?? 'unrecorded')}), content ${report.package.contentHash}, audit head ${report.package.auditHead}, approved by ${report.package.approvedBy.map(md).join(', ')}`
      : 'nothing published',
  ];
  return `${lines.join('\n')}\n`;
}

function short(hash: string | null): string {
  return hash ? `\`${hash.slice(0, 12)}…\`` : '-';
}
