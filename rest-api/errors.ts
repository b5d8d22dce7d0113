/**
 * The one place errors become HTTP answers. Every error body is Kafka Connect's
 * `{"error_code": <status>, "message": "..."}`, whatever threw it: the herder, a route's own
 * request checks, express's body parser or the router.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ConfigError, ConnectError } from '../runtime/api/errors.js';
import type { Logger } from '../runtime/api/logger.js';

/** An error that already knows its HTTP status (unknown route, unsupported method, bad request body). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorBody {
  error_code: number;
  message: string;
}

const STATUS_BY_CODE: Record<string, number> = {
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  CONFLICT: 409,
  CONFIG: 400,
  BAD_REQUEST: 400,
};

/** Errors express and body-parser raise carry `status`, `expose` and, for the body parser, `type`. */
interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  type?: unknown;
  message?: unknown;
}

export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } {
  const status = statusOf(err);
  return { status, body: { error_code: status, message: messageOf(err, status) } };
}

function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  if (isConnectError(err)) return STATUS_BY_CODE[err.code] ?? 500;
  const http = httpLike(err);
  if (http) return http.status;
  return 500;
}

function messageOf(err: unknown, status: number): string {
  if (err instanceof ConfigError || (isConnectError(err) && err.code === 'CONFIG')) return configMessage(err as ConfigError);
  const http = httpLike(err);
  if (http?.type === 'entity.parse.failed') return `Request body is not valid JSON: ${http.message}`;
  if (err instanceof Error) return err.message || `HTTP ${status}`;
  return String(err);
}

/** The herder's message plus every per-key error it does not already spell out, one per line. */
function configMessage(err: ConfigError): string {
  const extra: string[] = [];
  for (const [key, messages] of Object.entries(err.errors ?? {})) {
    for (const message of messages) {
      if (!err.message.includes(message)) extra.push(`${key}: ${message}`);
    }
  }
  return extra.length === 0 ? err.message : `${err.message}\n${extra.join('\n')}`;
}

/** Matches by the stable `code` too, so an error from a second copy of the runtime module still maps. */
function isConnectError(err: unknown): err is ConnectError {
  if (err instanceof ConnectError) return true;
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string'
    && typeof (err as { retriable?: unknown }).retriable === 'boolean';
}

/** Client errors from express/body-parser (4xx not marked `expose: false`); anything else stays a 500. */
function httpLike(err: unknown): { status: number; type: unknown; message: string } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as HttpLikeError;
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || status < 400 || status >= 500 || e.expose === false) return undefined;
  return { status, type: e.type, message: typeof e.message === 'string' ? e.message : `HTTP ${status}` };
}

/** The last middleware: every error becomes `{error_code, message}`; 500s are logged with their stack. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const { status, body } = toErrorResponse(err);
    if (status >= 500) log.error(`Uncaught error in REST call ${req.method} ${req.originalUrl}`, err);
    else log.debug(`REST call ${req.method} ${req.originalUrl} failed with ${status}: ${body.message}`);
    res.status(status).json(body);
  };
}

/** Mounted after every route: a path no route knows is a 404, as Kafka's Jersey answers it. */
export const unknownRoute: RequestHandler = (_req, _res, next) => {
  next(new HttpError(404, 'HTTP 404 Not Found'));
};
