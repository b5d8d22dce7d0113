/**
 * One error tree for the whole runtime. Every error carries a stable `code` and a `retriable` flag:
 * the worker retries retriable errors (with backoff, inside `errors.retry.timeout`) and fails the
 * task on the others. The REST layer maps codes to HTTP statuses in one place.
 */
export class ConnectError extends Error {
  readonly code: string = 'CONNECT';
  readonly retriable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A failure that may succeed if the same call is made again later (a broker away, a timeout). */
export class RetriableError extends ConnectError {
  override readonly code: string = 'RETRIABLE';
  override readonly retriable: boolean = true;
}

/** A value does not match its schema, or bytes cannot be read as a record. */
export class DataError extends ConnectError {
  override readonly code: string = 'DATA';
}

/** A config is invalid; `errors` holds every message per key when more than one is known. */
export class ConfigError extends ConnectError {
  override readonly code: string = 'CONFIG';
  constructor(
    message: string,
    readonly errors: Record<string, string[]> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class NotFoundError extends ConnectError {
  override readonly code: string = 'NOT_FOUND';
}

export class AlreadyExistsError extends ConnectError {
  override readonly code: string = 'ALREADY_EXISTS';
}

/** The request conflicts with what the worker is doing now (a rebalance, a connector not STOPPED). */
export class ConflictError extends ConnectError {
  override readonly code: string = 'CONFLICT';
}

/** The request is well formed but not allowed in the current state. */
export class BadRequestError extends ConnectError {
  override readonly code: string = 'BAD_REQUEST';
}

export function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
}

/** The stack trace text Kafka Connect puts in a FAILED status `trace`. */
export function traceOf(error: unknown): string {
  if (error instanceof Error) {
    let text = error.stack ?? `${error.name}: ${error.message}`;
    let cause = error.cause;
    while (cause instanceof Error) {
      text += `\nCaused by: ${cause.stack ?? cause.message}`;
      cause = cause.cause;
    }
    return text;
  }
  return String(error);
}
