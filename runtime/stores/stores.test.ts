/** The internal stores on a real embedded log: Kafka Connect's keys and values, and restore on reopen. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedLog, type EmbeddedLog } from '../log/embedded/log.js';
import { ConfigStore } from './config-store.js';
import { OffsetStore } from './offset-store.js';
import { StatusStore } from './status-store.js';

const open: EmbeddedLog[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function newDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'tsconnect-stores-'));
  dirs.push(d);
  return d;
}

function logAt(dir: string): EmbeddedLog {
  const l = openEmbeddedLog(dir, { cleanerIntervalMs: 0 });
  open.push(l);
  return l;
}

async function rawRecords(log: EmbeddedLog, topic: string): Promise<Array<[string, string | null]>> {
  const c = log.consumer();
  const parts = (await log.admin().offsets(topic)).map((o) => ({ topic, partition: o.partition }));
  await c.assign(parts);
  await c.seekToBeginning(parts);
  const out: Array<[string, string | null]> = [];
  for (;;) {
    const batch = await c.poll(100);
    if (batch.length === 0) break;
    for (const r of batch) out.push([Buffer.from(r.key!).toString(), r.value ? Buffer.from(r.value).toString() : null]);
  }
  await c.close();
  return out;
}

describe('ConfigStore', () => {
  it("writes Kafka Connect's keys and values and restores them after reopening", async () => {
    const dir = await newDir();
    const log = logAt(dir);
    const store = new ConfigStore(log, 'connect-configs');
    await store.start();
    await store.putConnectorConfig('src', { name: 'src', 'connector.class': 'FileStreamSource' }, 'PAUSED');
    await store.putTaskConfigs('src', [{ topic: 't' }]);
    await store.putTargetState('src', 'STOPPED');
    expect(await rawRecords(log, 'connect-configs')).toEqual([
      ['target-state-src', '{"state":"PAUSED","state.v2":"PAUSED"}'],
      ['connector-src', '{"properties":{"name":"src","connector.class":"FileStreamSource"}}'],
      ['task-src-0', '{"properties":{"topic":"t"}}'],
      ['commit-src', '{"tasks":1}'],
      ['target-state-src', '{"state":"PAUSED","state.v2":"STOPPED"}'],
    ]);
    expect((await log.admin().describeTopic('connect-configs'))?.configs['cleanup.policy']).toBe('compact');
    await store.stop();
    await log.close();

    const again = new ConfigStore(logAt(dir), 'connect-configs');
    await again.start();
    expect(again.snapshot('src')).toEqual({ config: { name: 'src', 'connector.class': 'FileStreamSource' }, targetState: 'STOPPED', taskConfigs: [{ topic: 't' }] });
    await again.removeConnectorConfig('src');
    expect(again.connectors()).toEqual([]);
    await again.stop();
  });

  it('ignores task configs that were never committed', async () => {
    const log = logAt(await newDir());
    const store = new ConfigStore(log, 'cfg');
    await store.start();
    await store.putConnectorConfig('c', { name: 'c' });
    const producer = log.producer();
    await producer.send([{ topic: 'cfg', key: Buffer.from('task-c-0'), value: Buffer.from('{"properties":{"a":"1"}}') }]);
    const reread = new ConfigStore(log, 'cfg');
    await reread.start();
    expect(reread.snapshot('c')?.taskConfigs).toEqual([]);
    await producer.close();
    await store.stop();
    await reread.stop();
  });
});

describe('OffsetStore', () => {
  it('keys offsets as ["connector",{partition}] and finds them whatever the key order', async () => {
    const dir = await newDir();
    const log = logAt(dir);
    const store = new OffsetStore(log, 'connect-offsets', 25);
    await store.start();
    await store.write('file-source', [[{ filename: '/tmp/a.txt', n: 1 }, { position: 42 }]]);
    const raw = await rawRecords(log, 'connect-offsets');
    expect(raw).toEqual([['["file-source",{"filename":"/tmp/a.txt","n":1}]', '{"position":42}']]);
    expect(store.get('file-source', { n: 1, filename: '/tmp/a.txt' })).toEqual({ position: 42 });
    await store.stop();
    await log.close();
    const again = new OffsetStore(logAt(dir), 'connect-offsets', 25);
    await again.start();
    expect(again.offsets('file-source')).toEqual([{ partition: { filename: '/tmp/a.txt', n: 1 }, offset: { position: 42 } }]);
    await again.write('file-source', [[{ filename: '/tmp/a.txt', n: 1 }, null]]);
    expect(again.offsets('file-source')).toEqual([]);
    await again.stop();
  });
});

describe('StatusStore', () => {
  it('keeps connector, task and topic statuses', async () => {
    const log = logAt(await newDir());
    const store = new StatusStore(log, 'connect-status', 5);
    await store.start();
    await store.putConnector('c', { state: 'RUNNING', trace: null, worker_id: 'w:8083', generation: 0 });
    await store.putTask('c', 0, { state: 'FAILED', trace: 'boom', worker_id: 'w:8083', generation: 0 });
    await store.putTopic('c', 'orders', 0);
    expect(store.connector('c')?.state).toBe('RUNNING');
    expect(store.task('c', 0)?.trace).toBe('boom');
    expect(store.activeTopics('c')).toEqual(['orders']);
    const keys = (await rawRecords(log, 'connect-status')).map(([k]) => k).sort();
    expect(keys).toEqual(['status-connector-c', 'status-task-c-0', 'status-topic-orders:connector-c']);
    await store.deleteConnector('c');
    expect(store.connector('c')).toBeNull();
    await store.stop();
  });
});
