import type { PolicyEngine } from '../policies/engine';
import type { DataStore } from './data-store';
import type { ModelGateway } from './model-gateway/gateway';

/** What activities need from the outside world; the worker passes real ones, tests pass their own on loopback. */
export interface ActivityDeps {
  data: DataStore;
  policies: PolicyEngine;
  models: ModelGateway;
  /** Folder the publisher writes approved packages to. */
  outboxDir: string;
}
