/**
 * What source and sink task runners share: the target-state machine (STARTED / PAUSED), a bounded
 * stop, and status reporting. Subclasses implement `initialize`, `execute` and `close`.
 */
import { traceOf } from '../api/errors.js';
import { getLogger, withLogContext } from '../api/logger.js';
import type { TaskProgress } from '../api/progress.js';
import type { ConnectorTaskId, TargetState } from '../herder/herder.js';
import type { TaskMetrics } from './task-metrics.js';
import { ProgressHolder } from './task-progress.js';

export interface TaskStatusListener {
  onStartup(id: ConnectorTaskId): void;
  onPause(id: ConnectorTaskId): void;
  onResume(id: ConnectorTaskId): void;
  onFailure(id: ConnectorTaskId, trace: string): void;
  onShutdown(id: ConnectorTaskId): void;
  /** A topic the task read from or wrote to for the first time. */
  onTopic(id: ConnectorTaskId, topic: string): void;
}

export abstract class WorkerTask {
  protected readonly log = getLogger(`worker.${this.constructor.name}`);
  protected stopping = false;
  private targetState: TargetState;
  private resumeWaiters: Array<() => void> = [];
  private done: Promise<void> | null = null;
  private failed = false;
  private readonly progressHolder: ProgressHolder;

  constructor(
    readonly id: ConnectorTaskId,
    protected readonly listener: TaskStatusListener,
    initialState: TargetState,
    metrics: TaskMetrics,
  ) {
    this.targetState = initialState;
    this.progressHolder = new ProgressHolder(this.log, metrics);
  }

  /** The latest progress the task reported; null once it stopped or failed. */
  get progress(): TaskProgress | null {
    return this.progressHolder.current;
  }

  /** For the task context: `reportProgress` of SourceTaskContext and SinkTaskContext. */
  protected reportProgress(progress: TaskProgress | null): void {
    this.progressHolder.report(progress);
  }

  get label(): string {
    return `${this.id.connector}|task-${this.id.task}`;
  }

  get isPaused(): boolean {
    return this.targetState === 'PAUSED';
  }

  start(): void {
    this.done = withLogContext(this.label, () => this.runSafely());
  }

  transition(state: TargetState): void {
    if (state === this.targetState || this.failed) return;
    this.targetState = state;
    if (state === 'PAUSED') {
      this.onPausing();
      this.listener.onPause(this.id);
    } else if (state === 'STARTED') {
      this.listener.onResume(this.id);
      this.wakeWaiters();
    }
  }

  /** Asks the task to stop and waits at most `timeoutMs`; resolves false if it did not finish in time. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    this.wakeWaiters();
    this.wakeup();
    if (!this.done) return true;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      this.done.then(() => true),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (!finished) this.log.error(`[${this.label}] did not stop within ${timeoutMs} ms; abandoning it`);
    return finished;
  }

  /** Resolves once the task is unpaused (true) or is stopping (false). */
  protected async awaitRunnable(): Promise<boolean> {
    while (this.targetState === 'PAUSED' && !this.stopping) {
      await new Promise<void>((r) => this.resumeWaiters.push(r));
    }
    return !this.stopping;
  }

  private wakeWaiters(): void {
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const w of waiters) w();
  }

  private async runSafely(): Promise<void> {
    try {
      await this.initialize();
      this.listener.onStartup(this.id);
      if (this.targetState === 'PAUSED') {
        this.onPausing();
        this.listener.onPause(this.id);
      }
      await this.execute();
    } catch (e) {
      this.failed = true;
      this.log.error(`[${this.label}] Task threw an uncaught and unrecoverable exception. Task is being killed and will not recover until manually restarted`, e);
      this.listener.onFailure(this.id, traceOf(e));
    } finally {
      this.progressHolder.end();
      try {
        await this.close();
      } catch (e) {
        this.log.warn(`[${this.label}] error while closing the task`, e);
      }
      if (!this.failed) this.listener.onShutdown(this.id);
    }
  }

  protected abstract initialize(): Promise<void>;
  protected abstract execute(): Promise<void>;
  protected abstract close(): Promise<void>;
  /** Makes a pending poll return early (stop or pause). */
  protected abstract wakeup(): void;
  protected onPausing(): void {}
}
