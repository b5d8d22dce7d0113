/**
 * A FileStreamSink that also records, per record, the delay from its log timestamp (stamped when
 * the source's batch was appended, right after the file was read) to the moment its line is
 * written. Loaded by the benchmark through plugin.path; on stop it writes the percentiles to the
 * file named by `latency.file`.
 */
import { writeFileSync } from 'node:fs';
import type { PluginDescriptor, SinkRecord } from '../../runtime/api/index.js';
import { FileStreamSinkConnector } from '../../connectors/file/sink-connector.js';
import { FileStreamSinkTask } from '../../connectors/file/sink-task.js';

class TimedFileSinkTask extends FileStreamSinkTask {
  private delays: number[] = [];
  private out = '';

  override start(props: Record<string, string>): void {
    this.out = props['latency.file'] ?? '';
    super.start(props);
  }

  override put(records: SinkRecord[]): void {
    super.put(records);
    const now = Date.now();
    for (const r of records) this.delays.push(now - (r.timestamp ?? now));
  }

  override stop(): void {
    super.stop();
    const sorted = Float64Array.from(this.delays).sort();
    const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN);
    if (this.out) writeFileSync(this.out, JSON.stringify({ count: sorted.length, p50: at(0.5), p99: at(0.99), max: at(1) }));
  }
}

class TimedFileSinkConnector extends FileStreamSinkConnector {
  override taskClass() {
    return TimedFileSinkTask;
  }
}

export const plugins: PluginDescriptor[] = [
  { kind: 'sink', className: 'bench.TimedFileSinkConnector', version: '0.1.0', create: () => new TimedFileSinkConnector() },
];
