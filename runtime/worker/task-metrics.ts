/** The per-task metrics Kafka Connect reports, registered for Prometheus exposition. */
import type { TaskProgress } from '../api/progress.js';
import { Stat, type MetricsRegistry } from '../metrics/registry.js';

export class TaskMetrics {
  readonly batchSize = new Stat();
  readonly offsetCommitTime = new Stat();
  offsetCommitSuccess = 0;
  offsetCommitFailure = 0;
  // source
  pollTotal = 0;
  writeTotal = 0;
  readonly pollBatchTime = new Stat();
  // sink
  readTotal = 0;
  sendTotal = 0;
  readonly putBatchTime = new Stat();
  // errors
  recordErrors = 0;
  recordsSkipped = 0;
  dlqProduced = 0;
  errorsLogged = 0;
  status = 'unassigned';
  private readonly removers: Array<() => void> = [];
  private progress: TaskProgress | null = null;
  /** The progress series exist only while the task reports progress, labelled with its phase. */
  private progressRemovers: Array<() => void> = [];
  private progressPhase: string | null = null;

  constructor(
    private readonly registry: MetricsRegistry,
    private readonly connector: string,
    private readonly task: number,
    type: 'source' | 'sink',
  ) {
    const labels = { connector, task: String(task) };
    const add = (group: string, name: string, kind: 'counter' | 'gauge', help: string, read: () => number): void => {
      this.removers.push(registry.register(group, name, kind, help, labels, read));
    };
    add('connector_task_metrics', 'batch_size_avg', 'gauge', 'Average size of the batches processed.', () => this.batchSize.avg);
    add('connector_task_metrics', 'batch_size_max', 'gauge', 'Largest batch processed.', () => this.batchSize.max);
    add('connector_task_metrics', 'offset_commit_avg_time_ms', 'gauge', 'Average time of an offset commit.', () => this.offsetCommitTime.avg);
    add('connector_task_metrics', 'offset_commit_max_time_ms', 'gauge', 'Longest offset commit.', () => this.offsetCommitTime.max);
    add('connector_task_metrics', 'offset_commit_success_percentage', 'gauge', 'Share of offset commits that succeeded.', () => {
      const n = this.offsetCommitSuccess + this.offsetCommitFailure;
      return n === 0 ? 0 : this.offsetCommitSuccess / n;
    });
    add('connector_task_metrics', 'running_ratio', 'gauge', '1 while the task is running.', () => (this.status === 'running' ? 1 : 0));
    if (type === 'source') {
      add('source_task_metrics', 'source_record_poll_total', 'counter', 'Records produced or polled by the task.', () => this.pollTotal);
      add('source_task_metrics', 'source_record_write_total', 'counter', 'Records written to the log after transforms.', () => this.writeTotal);
      add('source_task_metrics', 'poll_batch_avg_time_ms', 'gauge', 'Average time to poll a batch.', () => this.pollBatchTime.avg);
      add('source_task_metrics', 'poll_batch_max_time_ms', 'gauge', 'Longest poll of a batch.', () => this.pollBatchTime.max);
    } else {
      add('sink_task_metrics', 'sink_record_read_total', 'counter', 'Records read from the log.', () => this.readTotal);
      add('sink_task_metrics', 'sink_record_send_total', 'counter', 'Records given to the task after transforms.', () => this.sendTotal);
      add('sink_task_metrics', 'put_batch_avg_time_ms', 'gauge', 'Average time of a put.', () => this.putBatchTime.avg);
      add('sink_task_metrics', 'put_batch_max_time_ms', 'gauge', 'Longest put.', () => this.putBatchTime.max);
      add('sink_task_metrics', 'offset_commit_completion_total', 'counter', 'Offset commits that completed.', () => this.offsetCommitSuccess);
    }
    add('task_error_metrics', 'total_record_errors', 'counter', 'Record processing errors.', () => this.recordErrors);
    add('task_error_metrics', 'total_records_skipped', 'counter', 'Records skipped because of errors.', () => this.recordsSkipped);
    add('task_error_metrics', 'deadletterqueue_produce_requests', 'counter', 'Records written to the dead letter queue.', () => this.dlqProduced);
    add('task_error_metrics', 'total_errors_logged', 'counter', 'Errors logged.', () => this.errorsLogged);
  }

  /** Not a Kafka Connect metric: `progress_done` / `progress_estimated` of what TaskProgress reports. */
  setProgress(progress: TaskProgress | null): void {
    this.progress = progress;
    const phase = progress?.phase ?? null;
    if (phase === this.progressPhase) return;
    this.removeProgress();
    this.progressPhase = phase;
    if (phase === null) return;
    const labels = { connector: this.connector, task: String(this.task), phase };
    const read = (key: 'done' | 'estimated') => () => this.progress?.[key] ?? NaN;
    this.progressRemovers.push(
      this.registry.register('connector_task_metrics', 'progress_done', 'gauge', 'Units (rows, files, ...) done in the phase the task reports.', labels, read('done')),
      this.registry.register('connector_task_metrics', 'progress_estimated', 'gauge', 'Units the reported phase should reach, as the task estimates it.', labels, read('estimated')),
    );
  }

  close(): void {
    for (const r of this.removers) r();
    this.removeProgress();
    this.progressPhase = null;
  }

  private removeProgress(): void {
    for (const r of this.progressRemovers) r();
    this.progressRemovers = [];
  }
}
