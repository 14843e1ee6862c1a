import type { Logger, LogLevel, LogMetadata } from '@temporalio/common';
import pino from 'pino';

/** The process-wide pino logger; JSON lines on stderr at `info`, until an entry point sets the settings' `LOG_LEVEL`. */
export const rootLogger = pino({ level: 'info' }, pino.destination(2));

const ROLE_BY_DESIGN = /^No (workflows|activities) registered, not polling/;

/** Adapts pino to Temporal's logger, so workflow and activity logs carry their ids as pino fields. */
export function temporalLogger(base = rootLogger): Logger {
  const at = (level: LogLevel) => (message: string, meta?: LogMetadata) => {
    // A role's worker polls only its own kind of task by design: the SDK's warning about the other kind is noise.
    const chosen = ROLE_BY_DESIGN.test(message) ? 'DEBUG' : level;
    const method = chosen.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
    base[method](meta ?? {}, message);
  };
  return {
    log: (level, message, meta) => at(level)(message, meta),
    trace: at('TRACE'),
    debug: at('DEBUG'),
    info: at('INFO'),
    warn: at('WARN'),
    error: at('ERROR'),
  };
}
