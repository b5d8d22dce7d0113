import { afterEach, describe, expect, it } from 'vitest';
import { getLogger, setLogSink } from '../api/logger.js';
import type { TaskProgress } from '../api/progress.js';
import { MetricsRegistry } from '../metrics/registry.js';
import { TaskMetrics } from './task-metrics.js';
import { ProgressHolder, checkedProgress, describeProgress } from './task-progress.js';

afterEach(() => setLogSink((line) => process.stderr.write(`${line}\n`)));

function holder(connector: string) {
  const registry = new MetricsRegistry();
  const metrics = new TaskMetrics(registry, connector, 0, 'source');
  const lines: string[] = [];
  setLogSink((line) => lines.push(line));
  let now = 1_000_000;
  const h = new ProgressHolder(getLogger(`test.progress.${connector}`), metrics, () => now);
  return { h, registry, metrics, lines, advance: (ms: number) => (now += ms) };
}

const snapshot = (done: number): TaskProgress => ({
  phase: 'snapshot',
  unit: 'rows',
  done,
  estimated: 5000,
  detail: { tables: [{ table: 'public.orders', done, estimated: 5000, complete: false }] },
});

describe('ProgressHolder', () => {
  it('keeps the latest report as a detached copy and clears it on null', () => {
    const { h } = holder('p-copy');
    const report = snapshot(10);
    h.report(report);
    report.done = 999;
    expect(h.current).toEqual(snapshot(10));
    h.report(snapshot(20));
    expect(h.current?.done).toBe(20);
    h.report(null);
    expect(h.current).toBeNull();
  });

  it('exposes done and estimated per task and phase in /metrics, and removes them when cleared', () => {
    const { h, registry } = holder('p-metrics');
    expect(registry.expose()).not.toContain('progress');
    h.report(snapshot(1200));
    const text = registry.expose();
    expect(text).toContain('kafka_connect_connector_task_metrics_progress_done{connector="p-metrics",task="0",phase="snapshot"} 1200');
    expect(text).toContain('kafka_connect_connector_task_metrics_progress_estimated{connector="p-metrics",task="0",phase="snapshot"} 5000');
    h.report({ phase: 'streaming', unit: 'events', done: 3 });
    const streaming = registry.expose();
    expect(streaming).not.toContain('phase="snapshot"');
    expect(streaming).toContain('kafka_connect_connector_task_metrics_progress_done{connector="p-metrics",task="0",phase="streaming"} 3');
    expect(streaming).toContain('kafka_connect_connector_task_metrics_progress_estimated{connector="p-metrics",task="0",phase="streaming"} NaN');
    h.end();
    expect(registry.expose()).not.toContain('progress');
  });

  it('ignores reports after the task ended', () => {
    const { h } = holder('p-end');
    h.report(snapshot(1));
    h.end();
    h.report(snapshot(2));
    expect(h.current).toBeNull();
  });

  it('logs phase changes, and a bounded job at most every 30 s', () => {
    const { h, lines, advance } = holder('p-log');
    h.report(snapshot(0));
    h.report(snapshot(100));
    advance(10_000);
    h.report(snapshot(200));
    advance(25_000);
    h.report(snapshot(1250));
    h.report({ phase: 'streaming', done: 1 });
    advance(60_000);
    h.report({ phase: 'streaming', done: 2 });
    const progress = lines.filter((l) => l.includes('progress:'));
    expect(progress.map((l) => l.slice(l.indexOf('progress:'), l.indexOf(' (test.'))))
      .toEqual(['progress: snapshot 0/5000 rows (0%)', 'progress: snapshot 1250/5000 rows (25%)', 'progress: streaming 1']);
  });

  it('refuses a report that is not JSON without failing the task, and warns once', () => {
    const { h, lines } = holder('p-bad');
    h.report(snapshot(5));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    h.report({ phase: 'snapshot', detail: cyclic as TaskProgress['detail'] });
    h.report({ phase: '', done: 1 });
    expect(h.current).toEqual(snapshot(5));
    expect(lines.filter((l) => l.includes('WARN')).length).toBe(1);
  });
});

describe('checkedProgress', () => {
  it('keeps only the TaskProgress fields', () => {
    const extra = { phase: 'load', done: 1, tables: ['x'] } as TaskProgress;
    expect(checkedProgress(extra)).toEqual({ phase: 'load', done: 1 });
  });

  it('names what is wrong', () => {
    expect(checkedProgress({ phase: 'snapshot', done: -1 })).toBe('done must be a finite number >= 0');
    expect(checkedProgress({ phase: 'snapshot', estimated: Number.NaN })).toBe('estimated must be a finite number >= 0');
    expect(checkedProgress({ phase: 'snapshot', detail: [] as unknown as TaskProgress['detail'] })).toBe('detail must be a JSON object');
    expect(checkedProgress({ phase: 'snapshot', detail: { n: 1n } as unknown as TaskProgress['detail'] })).toMatch(/^detail is not JSON/);
  });
});

describe('describeProgress', () => {
  it('says what a user reads in the log', () => {
    expect(describeProgress({ phase: 'snapshot' })).toBe('snapshot');
    expect(describeProgress({ phase: 'snapshot', unit: 'rows', estimated: 10 })).toBe('snapshot ~10 rows');
    expect(describeProgress({ phase: 'snapshot', unit: 'rows', done: 12, estimated: 10 })).toBe('snapshot 12/10 rows (100%)');
    expect(describeProgress({ phase: 'streaming', done: 7, unit: 'events' })).toBe('streaming 7 events');
  });
});
