/**
 * The task runners on a real embedded log: a retriable error from put redelivers the same batch
 * after a pause, and a source offset is never stored before the log acknowledged its record.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RetriableError } from '../api/errors.js';
import { SourceRecord, type SinkRecord } from '../api/records.js';
import { SinkTask, SourceTask } from '../api/task.js';
import { Schemas } from '../data/schema-builder.js';
import { StringConverter } from '../converters/string-converter.js';
import { SimpleHeaderConverter } from '../converters/simple-header-converter.js';
import { openEmbeddedLog, type EmbeddedLog } from '../log/embedded/log.js';
import type { Producer } from '../log/log.js';
import { MetricsRegistry } from '../metrics/registry.js';
import { OffsetStore } from '../stores/offset-store.js';
import type { ErrorSettings } from './error-handler.js';
import { SinkTaskRunner } from './sink-task-runner.js';
import { SourceTaskRunner } from './source-task-runner.js';
import { TaskMetrics } from './task-metrics.js';
import { IDENTITY } from './transformer.js';
import type { TaskStatusListener } from './worker-task.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function newLog(): Promise<EmbeddedLog> {
  const dir = await mkdtemp(join(tmpdir(), 'tsconnect-runners-'));
  const log = openEmbeddedLog(dir, { cleanerIntervalMs: 0 });
  cleanups.push(() => rm(dir, { recursive: true, force: true }), () => log.close());
  return log;
}

function converters() {
  const key = new StringConverter();
  key.configure({}, true);
  const value = new StringConverter();
  value.configure({}, false);
  const header = new SimpleHeaderConverter();
  header.configure();
  return { key, value, header };
}

const noErrors: ErrorSettings = { retryTimeoutMs: 0, retryDelayMaxMs: 1000, toleranceAll: false, logEnable: false, logIncludeMessages: false };

function listener(): TaskStatusListener & { states: string[] } {
  const states: string[] = [];
  return {
    states,
    onStartup: () => states.push('RUNNING'),
    onPause: () => states.push('PAUSED'),
    onResume: () => states.push('RUNNING'),
    onFailure: (_id, trace) => states.push(`FAILED ${trace.split('\n')[0]}`),
    onShutdown: () => states.push('UNASSIGNED'),
    onTopic: () => {},
  };
}

async function until(fn: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SinkTaskRunner', () => {
  it('delivers the same batch again after a RetriableError from put', async () => {
    const log = await newLog();
    const producer = log.producer();
    await producer.send(['a', 'b', 'c'].map((v) => ({ topic: 'retry', key: null, value: Buffer.from(v) })));
    const puts: string[][] = [];
    class FlakyTask extends SinkTask {
      version() { return '1'; }
      start() {}
      stop() {}
      put(records: SinkRecord[]) {
        puts.push(records.map((r) => String(r.value)));
        if (puts.length === 1) {
          this.context.timeout(50);
          throw new RetriableError('the destination is away');
        }
      }
    }
    const l = listener();
    const runner = new SinkTaskRunner({ connector: 'flaky', task: 0 }, l, 'STARTED', {
      task: new FlakyTask(), taskConfig: {}, converters: converters(), transformer: IDENTITY,
      consumer: log.consumer({ groupId: 'connect-flaky' }), topics: ['retry'], dlq: null, errors: noErrors,
      metrics: new TaskMetrics(new MetricsRegistry(), 'flaky', 0, 'sink'), offsetFlushIntervalMs: 100,
    });
    runner.start();
    await until(() => puts.length >= 2);
    expect(puts[0]).toEqual(['a', 'b', 'c']);
    expect(puts[1]).toEqual(['a', 'b', 'c']);
    await until(async () => (await log.admin().groupOffsets('connect-flaky')).get('retry:0') === 3);
    expect(await runner.stop(5000)).toBe(true);
    expect(l.states).toEqual(['RUNNING', 'UNASSIGNED']);
    await producer.close();
  });

  it('fails the task on a non-retriable error, with nothing of the batch committed', async () => {
    const log = await newLog();
    const producer = log.producer();
    await producer.send([{ topic: 'boom', key: null, value: Buffer.from('x') }]);
    class BrokenTask extends SinkTask {
      version() { return '1'; }
      start() {}
      stop() {}
      put() { throw new Error('disk on fire'); }
    }
    const l = listener();
    const runner = new SinkTaskRunner({ connector: 'broken', task: 0 }, l, 'STARTED', {
      task: new BrokenTask(), taskConfig: {}, converters: converters(), transformer: IDENTITY,
      consumer: log.consumer({ groupId: 'connect-broken' }), topics: ['boom'], dlq: null, errors: noErrors,
      metrics: new TaskMetrics(new MetricsRegistry(), 'broken', 0, 'sink'), offsetFlushIntervalMs: 100,
    });
    runner.start();
    await until(() => l.states.some((s) => s.startsWith('FAILED')));
    expect(l.states.find((s) => s.startsWith('FAILED'))).toContain('disk on fire');
    expect((await log.admin().groupOffsets('connect-broken')).get('boom:0') ?? 0).toBe(0);
    await runner.stop(5000);
    await producer.close();
  });
});

describe('SourceTaskRunner', () => {
  it('stores no offset before the log acknowledged the record', async () => {
    const log = await newLog();
    const offsets = new OffsetStore(log, 'offsets', 1);
    await offsets.start();
    cleanups.push(() => offsets.stop());
    const real = log.producer();
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    // The real producer, with its acknowledgement held back until the test releases it.
    const slow: Producer = {
      send: async (records) => {
        await held;
        return real.send(records);
      },
      flush: () => real.flush(),
      close: () => real.close(),
    };
    let polled = false;
    class OneShot extends SourceTask {
      version() { return '1'; }
      start() {}
      stop() {}
      async poll() {
        if (polled) {
          await new Promise((r) => setTimeout(r, 20));
          return null;
        }
        polled = true;
        return [new SourceRecord({ topic: 'acked', sourcePartition: { f: 'x' }, sourceOffset: { pos: 1 }, valueSchema: Schemas.STRING, value: 'one' })];
      }
    }
    const runner = new SourceTaskRunner({ connector: 'oneshot', task: 0 }, listener(), 'STARTED', {
      task: new OneShot(), taskConfig: {}, converters: converters(), transformer: IDENTITY, producer: slow, admin: log.admin(),
      offsetStore: offsets, errors: noErrors, metrics: new TaskMetrics(new MetricsRegistry(), 'oneshot', 0, 'source'),
      offsetFlushIntervalMs: 20, topicCreation: null,
    });
    runner.start();
    await until(() => polled);
    await new Promise((r) => setTimeout(r, 200));
    await runner.flushOffsets();
    expect(offsets.get('oneshot', { f: 'x' })).toBeNull();
    release();
    await until(() => offsets.get('oneshot', { f: 'x' }) !== null);
    expect(offsets.get('oneshot', { f: 'x' })).toEqual({ pos: 1 });
    await runner.stop(5000);
  });
});
