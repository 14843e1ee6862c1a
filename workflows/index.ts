/** Workflow-safe exports: the bundle entry that the worker loads into the sandbox. */
export { campaignWorkflow } from './campaign';
