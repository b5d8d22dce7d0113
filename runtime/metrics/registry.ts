/**
 * Worker, connector and task metrics, exposed in Prometheus text format. Names follow what the
 * Prometheus JMX exporter makes of Kafka Connect's MBeans, so dashboards built for Kafka Connect
 * find them: `kafka.connect:type=source-task-metrics,connector=..,task=..` attribute
 * `source-record-poll-total` becomes `kafka_connect_source_task_metrics_source_record_poll_total{connector="..",task=".."}`.
 */

export type Labels = Record<string, string>;

interface Series {
  group: string;
  name: string;
  help: string;
  kind: 'counter' | 'gauge';
  values: Map<string, { labels: Labels; read: () => number }>;
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

export class MetricsRegistry {
  private readonly series = new Map<string, Series>();

  /** Registers a value read at scrape time; returns a function that removes it. */
  register(group: string, name: string, kind: 'counter' | 'gauge', help: string, labels: Labels, read: () => number): () => void {
    const id = `${group}:${name}`;
    const s = this.series.get(id) ?? { group, name, help, kind, values: new Map() };
    this.series.set(id, s);
    const key = labelText(labels);
    s.values.set(key, { labels, read });
    return () => {
      s.values.delete(key);
    };
  }

  /** Prometheus text exposition format 0.0.4. */
  expose(): string {
    const lines: string[] = [];
    for (const s of [...this.series.values()].sort((a, b) => (a.group + a.name < b.group + b.name ? -1 : 1))) {
      if (s.values.size === 0) continue;
      const metric = `kafka_connect_${s.group}_${s.name}`.replace(/[^a-zA-Z0-9_]/g, '_');
      lines.push(`# HELP ${metric} ${s.help}`, `# TYPE ${metric} ${s.kind}`);
      for (const [key, v] of s.values) {
        const n = v.read();
        lines.push(`${metric}${key} ${Number.isFinite(n) ? n : 'NaN'}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}

/** A counter plus the running figures Kafka derives from it (avg, max) for batch sizes and times. */
export class Stat {
  count = 0;
  total = 0;
  max = 0;

  record(v: number): void {
    this.count++;
    this.total += v;
    if (v > this.max) this.max = v;
  }

  get avg(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }
}
