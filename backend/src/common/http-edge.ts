import { ArgumentsHost, Catch, HttpException, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '@tidewatch/contracts';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logging/logger.js';
import { DomainError } from './domain-errors.js';

/** Where in a request the first text PostgreSQL could not store sits, or null when there is none. */
export function unstorableTextIn(req: { path: string; query: unknown; body: unknown }): string | null {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return 'path (not valid percent-encoding)';
  }
  if (!isStorableText(path)) return 'path';
  const where = firstUnstorable(req.query, 'query') ?? firstUnstorable(req.body, 'body');
  return where;
}

/** Walks a parsed JSON value without recursion (a deep body cannot exhaust the stack). */
function firstUnstorable(root: unknown, name: string): string | null {
  const stack: { value: unknown; at: string }[] = [{ value: root, at: name }];
  let visited = 0;
  while (stack.length > 0) {
    const { value, at } = stack.pop()!;
    if (++visited > 100_000) return `${name} (too many values)`;
    if (typeof value === 'string') {
      if (!isStorableText(value)) return at;
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, at: `${at}[${i}]` }));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (!isStorableText(k)) return `${at} (a key)`;
        stack.push({ value: v, at: `${at}.${k}` });
      }
    }
  }
  return null;
}

/** Express middleware: text with NUL or unpaired surrogates is refused with 400 before any route sees it. */
export function refuseUnstorableText(req: Request, res: Response, next: NextFunction): void {
  const where = unstorableTextIn(req);
  if (where === null) return next();
  res.status(400).json({ statusCode: 400, error: 'Bad Request', message: `${where.slice(0, 200)}: text ${UNSTORABLE_TEXT_MESSAGE}` });
}

const DB_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', '57P01', '57P02', '57P03', '53300', '57014', '08000', '08001', '08003', '08004', '08006']);
const DB_DOWN_MESSAGES = [/timeout exceeded when trying to connect/i, /Connection terminated/i, /connection error/i, /Client was closed/i];

/** True when an error says the database cannot be reached or is overloaded (not that a query is wrong). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && DB_DOWN_CODES.has(code)) return true;
  return DB_DOWN_MESSAGES.some((re) => re.test(err.message));
}

const STATUS_TEXT: Record<DomainError['status'], string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
};

/** Seconds a client should wait before trying again while the database is away. */
const DB_RETRY_AFTER_S = 5;

/**
 * The last word on every error of the HTTP API: a domain error becomes its status (with
 * Retry-After where it has one); Nest's own answers pass unchanged; a database
 * that cannot be reached is 503 with Retry-After (not 500); anything else is a 500 that says
 * nothing of the internals, and is logged.
 */
@Catch()
export class HttpErrorsFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw err;
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    if (res.headersSent) return;
    if (err instanceof DomainError) {
      if (err.retryAfterS !== null) res.setHeader('Retry-After', String(err.retryAfterS));
      res.status(err.status).json({ statusCode: err.status, error: STATUS_TEXT[err.status], message: err.message, ...(err.code ? { code: err.code } : {}) });
      return;
    }
    if (err instanceof HttpException) {
      const body = err.getResponse();
      res.status(err.getStatus()).json(typeof body === 'string' ? { statusCode: err.getStatus(), message: body } : body);
      return;
    }
    if (isDatabaseUnavailable(err)) {
      this.log.warn({ err: String(err), path: req.path }, 'database unavailable');
      res.setHeader('Retry-After', String(DB_RETRY_AFTER_S));
      res.status(HttpStatus.SERVICE_UNAVAILABLE).json({ statusCode: 503, error: 'Service Unavailable', message: 'the database is unavailable: try again shortly' });
      return;
    }
    this.log.error({ err: err instanceof Error ? err.stack : String(err), method: req.method, path: req.path }, 'request failed');
    res.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ statusCode: 500, error: 'Internal Server Error', message: 'internal error (logged)' });
  }
}
