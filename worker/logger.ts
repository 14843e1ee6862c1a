import type { Logger, LogLevel, LogMetadata } from '@temporalio/common';
import pino from 'pino';

/** The process-wide pino logger; JSON lines on stderr at `info`, until an entry point sets the settings' `LOG_LEVEL`. */
export const rootLogger = pino({ level: 'info' }, pino.destination(2));

/** Adapts pino to Temporal's logger, so workflow and activity logs carry their ids as pino fields. */
export function temporalLogger(base = rootLogger): Logger {
  const at = (level: LogLevel) => (message: string, meta?: LogMetadata) => {
    const method = level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
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
