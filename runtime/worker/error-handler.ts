/**
 * Runs one stage of a record's trip (convert, transform, produce, put) under the connector's
 * errors.* settings, as Kafka Connect's RetryWithToleranceOperator: retriable failures are retried
 * with exponential backoff for `errors.retry.timeout`; then, with `errors.tolerance=all` the record
 * is skipped (logged, reported to the dead letter queue of a sink), otherwise the task fails.
 */
import { ConnectError, isRetriable } from '../api/errors.js';
import type { Logger } from '../api/logger.js';

export type Stage = 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'HEADER_CONVERTER' | 'TRANSFORMATION' | 'TASK_PUT' | 'TASK_POLL' | 'KAFKA_PRODUCE' | 'KAFKA_CONSUME';

export interface ErrorSettings {
  retryTimeoutMs: number;
  retryDelayMaxMs: number;
  toleranceAll: boolean;
  logEnable: boolean;
  logIncludeMessages: boolean;
}

export function errorSettings(config: { getInt(name: string): number; getString(name: string): string | null; getBoolean(name: string): boolean }): ErrorSettings {
  return {
    retryTimeoutMs: config.getInt('errors.retry.timeout'),
    retryDelayMaxMs: config.getInt('errors.retry.delay.max.ms'),
    toleranceAll: (config.getString('errors.tolerance') ?? 'none').toLowerCase() === 'all',
    logEnable: config.getBoolean('errors.log.enable'),
    logIncludeMessages: config.getBoolean('errors.log.include.messages'),
  };
}

/** A failure the connector's tolerance does not allow: it fails the task. */
export class ToleranceExceededError extends ConnectError {
  override readonly code = 'TOLERANCE_EXCEEDED';
  constructor(
    readonly stage: Stage,
    cause: unknown,
  ) {
    super(`Tolerance exceeded in error handler (stage ${stage}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export interface FailureContext {
  stage: Stage;
  error: Error;
  /** A short text of the record, for errors.log.include.messages. */
  describe: () => string;
}

const INITIAL_BACKOFF_MS = 300;

export class ErrorHandler {
  /** Records skipped under errors.tolerance=all, for metrics. */
  skipped = 0;
  failures = 0;

  constructor(
    private readonly settings: ErrorSettings,
    private readonly log: Logger,
    private readonly onTolerated: (ctx: FailureContext) => Promise<void> = async () => {},
    private readonly isStopping: () => boolean = () => false,
  ) {}

  /**
   * Runs fn; resolves its result, or `SKIP` when the failure is tolerated. Throws
   * ToleranceExceededError when it is not.
   */
  async run<T>(stage: Stage, fn: () => T | Promise<T>, describe: () => string): Promise<T | typeof SKIP> {
    const deadline = this.settings.retryTimeoutMs < 0 ? Infinity : Date.now() + this.settings.retryTimeoutMs;
    let backoff = INITIAL_BACKOFF_MS;
    for (;;) {
      try {
        return await fn();
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        this.failures++;
        if (isRetriable(error) && Date.now() + backoff < deadline && !this.isStopping()) {
          this.log.debug(`retrying stage ${stage} in ${backoff} ms after: ${error.message}`);
          await sleep(backoff);
          backoff = Math.min(backoff * 2, this.settings.retryDelayMaxMs);
          continue;
        }
        return this.fail({ stage, error, describe });
      }
    }
  }

  /** Same as run, for synchronous stages on the hot path: no promise unless something fails. */
  runSync<T>(stage: Stage, fn: () => T, describe: () => string): T | typeof SKIP | Promise<T | typeof SKIP> {
    try {
      return fn();
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      if (isRetriable(error) && this.settings.retryTimeoutMs !== 0) return this.run(stage, fn, describe);
      this.failures++;
      return this.fail({ stage, error, describe });
    }
  }

  private async fail(ctx: FailureContext): Promise<typeof SKIP> {
    if (this.settings.logEnable) {
      const what = this.settings.logIncludeMessages ? ` ${ctx.describe()}` : '';
      this.log.error(`Error encountered in task. Executing stage '${ctx.stage}'${what}`, ctx.error);
    }
    if (!this.settings.toleranceAll) throw new ToleranceExceededError(ctx.stage, ctx.error);
    this.skipped++;
    await this.onTolerated(ctx);
    return SKIP;
  }
}

export const SKIP: unique symbol = Symbol('skip');

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
