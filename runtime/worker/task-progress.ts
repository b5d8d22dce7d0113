/**
 * The latest progress a task reported (TaskProgress in runtime/api/progress.ts). Kept in memory
 * only: it changes per batch, and a restarted task reports again. The runtime logs it at INFO when
 * the phase changes and, for a job with an estimated end, at most once every LOG_INTERVAL_MS.
 */
import type { Logger } from '../api/logger.js';
import type { TaskProgress } from '../api/progress.js';
import type { TaskMetrics } from './task-metrics.js';

const LOG_INTERVAL_MS = 30_000;

export class ProgressHolder {
  private latest: TaskProgress | null = null;
  private ended = false;
  private lastLogAt = 0;
  private warned = false;

  constructor(
    private readonly log: Logger,
    private readonly metrics: TaskMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  get current(): TaskProgress | null {
    return this.latest;
  }

  /** What the task context's reportProgress does. A bad report is logged once and ignored: it must not fail the task. */
  report(progress: TaskProgress | null): void {
    if (this.ended) return;
    if (progress === null) {
      if (this.latest) this.log.info(`progress of phase ${this.latest.phase} cleared`);
      this.set(null);
      return;
    }
    const checked = checkedProgress(progress);
    if (typeof checked === 'string') {
      if (!this.warned) this.log.warn(`ignoring a progress report: ${checked}`);
      this.warned = true;
      return;
    }
    const phaseChanged = checked.phase !== this.latest?.phase;
    const due = checked.estimated !== undefined && this.now() - this.lastLogAt >= LOG_INTERVAL_MS;
    if (phaseChanged || due) {
      this.log.info(`progress: ${describeProgress(checked)}`);
      this.lastLogAt = this.now();
    }
    this.set(checked);
  }

  /** The task no longer runs: its progress goes, and later reports (from stop()) are ignored. */
  end(): void {
    this.ended = true;
    this.set(null);
  }

  private set(progress: TaskProgress | null): void {
    this.latest = progress;
    this.metrics.setProgress(progress);
  }
}

/**
 * A detached copy holding only TaskProgress's fields (so the REST shape stays predictable and a
 * task mutating its object later changes nothing), or why the report is refused.
 */
export function checkedProgress(p: TaskProgress): TaskProgress | string {
  if (typeof p !== 'object' || p === null) return 'not an object';
  if (typeof p.phase !== 'string' || p.phase === '') return 'phase must be a non-empty string';
  if (p.unit !== undefined && typeof p.unit !== 'string') return 'unit must be a string';
  for (const key of ['done', 'estimated'] as const) {
    const v = p[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) return `${key} must be a finite number >= 0`;
  }
  const out: TaskProgress = { phase: p.phase };
  if (p.unit !== undefined) out.unit = p.unit;
  if (p.done !== undefined) out.done = p.done;
  if (p.estimated !== undefined) out.estimated = p.estimated;
  if (p.detail !== undefined) {
    if (typeof p.detail !== 'object' || p.detail === null || Array.isArray(p.detail)) return 'detail must be a JSON object';
    try {
      out.detail = JSON.parse(JSON.stringify(p.detail)) as TaskProgress['detail'];
    } catch (e) {
      return `detail is not JSON (${e instanceof Error ? e.message : String(e)})`;
    }
  }
  return out;
}

/** `snapshot 1200/5000 rows (24%)`, `streaming 42 events`, `snapshot`. */
export function describeProgress(p: TaskProgress): string {
  const unit = p.unit ? ` ${p.unit}` : '';
  if (p.done === undefined) return p.estimated === undefined ? p.phase : `${p.phase} ~${p.estimated}${unit}`;
  if (p.estimated === undefined) return `${p.phase} ${p.done}${unit}`;
  const pct = p.estimated > 0 ? ` (${Math.min(100, Math.floor((p.done / p.estimated) * 100))}%)` : '';
  return `${p.phase} ${p.done}/${p.estimated}${unit}${pct}`;
}
