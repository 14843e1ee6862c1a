import type { Logger } from '@temporalio/common';

const noop = () => undefined;

/** A Temporal logger that drops everything: tests assert on outcomes, not on log lines. */
export const quietLogger: Logger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };
