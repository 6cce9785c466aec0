import path from 'node:path';
import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

export type { Logger };

const BASE = { service: 'tidewatch' };

/** Written synchronously, like process.stdout: the start-up banner then really follows the start-up log. */
export function createLogger(level: string): Logger {
  return pino({ level, base: BASE }, pino.destination({ dest: 1, sync: true }));
}

/**
 * The hub's log: JSON lines on stdout for a service manager or container (no terminal), but
 * in a terminal a file under the data folder (`<DATA_DIR>/logs/hub.log`), so that what the
 * terminal shows is the start-up banner, not a stream of JSON burying it.
 */
export function createHubLogger(level: string, dataDir: string, terminal: boolean): { log: Logger; file: string | null } {
  if (!terminal) return { log: createLogger(level), file: null };
  const file = path.resolve(dataDir, 'logs', 'hub.log');
  return { log: pino({ level, base: BASE }, pino.destination({ dest: file, mkdir: true, sync: true })), file };
}

/** Routes Nest's own log lines through pino. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}

export const LOGGER = Symbol('LOGGER');
