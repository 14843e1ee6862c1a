import type { PolicyEngine } from '../policies/engine';
import type { GovernanceStore } from '../store/governance-store';
import type { DataStore } from './data-store';
import type { ModelGateway } from './model-gateway/gateway';
import type { Notifier } from './notifier';

/** What activities need from the outside world; the worker passes real ones, tests pass their own on loopback. */
export interface ActivityDeps {
  data: DataStore;
  policies: PolicyEngine;
  models: ModelGateway;
  /** Folder the publisher writes approved packages to. */
  outboxDir: string;
  /** Everything that governs, shared by every worker machine: audit trail, spend, publications, facts. */
  store: GovernanceStore;
  /** Who this worker is, as the publish registry and receipts record it (host and process). */
  identity: string;
  /** The deployment's trust list of worker keys (key id → public key): whose receipts prove anything. */
  trustedKeys: Record<string, string>;
  /**
   * People's logins: the deployment's OpenID issuer (for roster logins that name none) and the login service keys
   * trusted to stamp decisions typed by a logged-in person (key id → public key).
   */
  login: { issuer: string | undefined; attesters: Record<string, string> };
  /** Where reminders go when an approval waits past its SLA. */
  notifier: Notifier;
  /** Base of the Temporal UI links that reminders carry. */
  uiUrl: string;
  /** The secret that turns roster ids into inbox tokens (see `domain/inbox.ts`). */
  inboxSecret: string;
  /**
   * The RFC 3161 timestamp authority the publisher asks to time-stamp the run's head and each marking, and the roots
   * its certificate must chain to; absent, nothing is time-stamped and the package says so by having no `timestamps`.
   */
  timestamps?: { url: string; roots: string[] };
  /** The code that runs: the workflow bundle's source hash and the git revision, recorded with every decision. */
  code: CodeVersion;
}

/** Which code made a decision, as the audit trail records it. */
export interface CodeVersion {
  /** SHA-256 prefix of the workflow and domain sources and the lock file: what the workflow bundle is built from. */
  buildId: string;
  /** The git revision of the checkout, when there is one. */
  revision: string | null;
}
