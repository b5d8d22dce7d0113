/**
 * Signals as Debezium 3.6.1 handles them, against a real Postgres: the signal table's rows (the
 * user's signals and the connector's window markers) are events on their own topic, as Debezium
 * writes them; the file channel (signal.enabled.channels=file) runs incremental and blocking
 * snapshots and the log signal, and empties the file it read.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../harness/worker-process.js';
import { cdcTestEnv, changeEvents, sql, type ChangeEvent } from './pg-helpers.js';

const env = cdcTestEnv('sigch');
const ROWS = 5;

async function setUp(id: string): Promise<{ table: string; signals: string }> {
  const table = `${id}_t`;
  const signals = `${id}_signal`;
  await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text NOT NULL)`);
  await sql(env.cluster, `INSERT INTO ${table} SELECT g, 'v' || g FROM generate_series(1, ${ROWS}) g`);
  await sql(env.cluster, `CREATE TABLE ${signals} (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))`);
  // Before the connector starts: Debezium neither snapshots the signal table nor acts on this.
  await sql(env.cluster, `INSERT INTO ${signals} VALUES ('old', 'log', '{"message":"old signal {}"}')`);
  return { table, signals };
}

const keyId = (e: ChangeEvent) => (e.key as { id: number }).id;

function eventsWhere(topic: string, pred: (events: ChangeEvent[]) => boolean, what: string): Promise<ChangeEvent[]> {
  return eventually(async () => {
    const events = await changeEvents(env.dir, topic);
    return pred(events) ? events : null;
  }, 30_000, what);
}

describe('Postgres CDC signal channels', () => {
  it("writes the signal table's rows to its topic, window markers as Debezium writes them", { timeout: 90_000 }, async () => {
    const id = env.newId();
    const { table, signals } = await setUp(id);
    await env.deploy(id, { 'table.include.list': `public\\.${table}`, 'signal.data.collection': `public.${signals}`, 'incremental.snapshot.chunk.size': '2' });
    const topic = `${id}.public.${table}`;
    await eventsWhere(topic, (e) => e.length === ROWS, 'the initial snapshot');
    await sql(env.cluster, `INSERT INTO ${signals} VALUES ('s1', 'execute-snapshot', $1)`, [JSON.stringify({ 'data-collections': [`public.${table}`], type: 'incremental' })]);
    await eventsWhere(topic, (e) => e.filter((x) => x.value?.source.snapshot === 'incremental').length === ROWS, 'the incremental snapshot');

    const signalTopic = `${id}.public.${signals}`;
    const sig = await eventsWhere(signalTopic, (e) => e.filter((x) => (x.value?.after as { type?: string } | null)?.type === 'snapshot-window-close').length === 3, 'three window markers closed');
    // The initial snapshot does not read the signal table: the row there before is not an event.
    expect(sig.every((e) => e.value?.op === 'c' && e.value.source.snapshot === 'false')).toBe(true);
    const rows = sig.map((e) => e.value!.after as { id: string; type: string; data: string });
    expect(rows[0]).toEqual({ id: 's1', type: 'execute-snapshot', data: JSON.stringify({ 'data-collections': [`public.${table}`], type: 'incremental' }) });
    expect(sig[0]!.key).toEqual({ id: 's1' });
    // open, close per chunk of 2 rows (3 chunks), ids <uuid>-open / <uuid>-close.
    expect(rows.slice(1).map((r) => r.type)).toEqual(['open', 'close', 'open', 'close', 'open', 'close'].map((t) => `snapshot-window-${t}`));
    for (let i = 1; i < rows.length; i += 2) {
      const open = rows[i]!;
      const close = rows[i + 1]!;
      expect(open.id).toMatch(/^[0-9a-f-]{36}-open$/);
      expect(close.id).toBe(open.id.replace(/-open$/, '-close'));
      expect(open.data).toMatch(/^\{"openWindowTimestamp": "\d{4}-\d\d-\d\dT[\d:.]+Z"\}$/);
      const opened = JSON.parse(open.data) as { openWindowTimestamp: string };
      const closed = JSON.parse(close.data) as { openWindowTimestamp: string; closeWindowTimestamp: string };
      expect(close.data).toBe(`{"openWindowTimestamp": "${opened.openWindowTimestamp}", "closeWindowTimestamp": "${closed.closeWindowTimestamp}"}`);
      expect(Date.parse(closed.closeWindowTimestamp)).toBeGreaterThanOrEqual(Date.parse(opened.openWindowTimestamp));
    }
    // Each chunk's rows go out before its close marker, as in Debezium.
    expect(env.worker.output()).not.toMatch(/old signal/);
  });

  it('runs incremental and blocking snapshots and log signals written to the signal file, and empties it', { timeout: 90_000 }, async () => {
    const id = env.newId();
    const { table, signals } = await setUp(id);
    const file = join(env.dir, `${id}-signals.txt`);
    await writeFile(file, '');
    await env.deploy(id, {
      'table.include.list': `public\\.${table}`,
      'signal.data.collection': `public.${signals}`,
      'signal.enabled.channels': 'source,file',
      'signal.file': file,
      'signal.poll.interval.ms': '200',
      'incremental.snapshot.chunk.size': '2',
    });
    const topic = `${id}.public.${table}`;
    await eventsWhere(topic, (e) => e.length === ROWS, 'the initial snapshot');

    await appendFile(file, [
      JSON.stringify({ id: 'f1', type: 'execute-snapshot', data: { 'data-collections': [`public.${table}`], type: 'INCREMENTAL' } }),
      'not json',
      JSON.stringify({ id: 'f2', type: 'log', data: { message: `hello from ${id} at {}` } }),
      '',
    ].join('\n'));
    const inc = await eventsWhere(topic, (e) => e.filter((x) => x.value?.source.snapshot === 'incremental').length === ROWS, 'the incremental snapshot');
    expect(inc.filter((x) => x.value?.source.snapshot === 'incremental').map(keyId)).toEqual([1, 2, 3, 4, 5]);
    expect(await readFile(file, 'utf8')).toBe('');
    const out = env.worker.output();
    expect(out).toMatch(new RegExp(`hello from ${id} at \\{lsn=\\d+`));
    expect(out).toMatch(new RegExp(`signal file ${file.replace(/[.]/g, '\\.')}: line 2 skipped: not JSON`));
    // The file's signal is not a row of the signal table; the window markers are.
    const sig = await changeEvents(env.dir, `${id}.public.${signals}`);
    expect(sig.map((e) => (e.value!.after as { type: string }).type).filter((t) => !t.startsWith('snapshot-window-'))).toEqual([]);

    // A blocking snapshot from the file: every row again, marked as Debezium marks them, while a
    // change made meanwhile still arrives after it.
    await appendFile(file, `${JSON.stringify({ id: 'f3', type: 'execute-snapshot', data: { 'data-collections': [`public.${table}`], type: 'BLOCKING' } })}\n`);
    await eventsWhere(topic, (e) => e.filter((x) => x.value?.op === 'r').length === 2 * ROWS + ROWS, 'the blocking snapshot');
    await sql(env.cluster, `INSERT INTO ${table} VALUES (100, 'after')`);
    const all = await eventsWhere(topic, (e) => e.some((x) => x.value?.op === 'c' && keyId(x) === 100), 'the change after');
    const blocking = all.slice(2 * ROWS, 3 * ROWS);
    expect(blocking.map((e) => [e.value?.op, keyId(e)])).toEqual([1, 2, 3, 4, 5].map((k) => ['r', k]));
    expect(blocking.map((e) => e.value?.source.snapshot)).toEqual(['first', 'true', 'true', 'true', 'last']);
    expect(all.length).toBe(3 * ROWS + 1);
  });

  it('with only the file channel, rows inserted into the signal table are events but not signals', { timeout: 90_000 }, async () => {
    const id = env.newId();
    const { table, signals } = await setUp(id);
    const file = join(env.dir, `${id}-signals.txt`);
    await env.deploy(id, { 'table.include.list': `public\\.${table}`, 'signal.data.collection': `public.${signals}`, 'signal.enabled.channels': 'file', 'signal.file': file, 'signal.poll.interval.ms': '200' });
    const topic = `${id}.public.${table}`;
    await eventsWhere(topic, (e) => e.length === ROWS, 'the initial snapshot');
    await sql(env.cluster, `INSERT INTO ${signals} VALUES ('s1', 'execute-snapshot', $1)`, [JSON.stringify({ 'data-collections': [`public.${table}`] })]);
    await sql(env.cluster, `INSERT INTO ${table} VALUES (100, 'after')`);
    await eventsWhere(topic, (e) => e.some((x) => keyId(x) === 100), 'the change after');
    await eventsWhere(`${id}.public.${signals}`, (e) => e.length === 1, 'the signal row as an event');
    // A file created after the start is read too.
    await writeFile(file, `${JSON.stringify({ id: 'f1', type: 'execute-snapshot', data: { 'data-collections': [`public.${table}`] } })}\n`);
    const events = await eventsWhere(topic, (e) => e.filter((x) => x.value?.source.snapshot === 'incremental').length === ROWS + 1, 'the file signal\'s snapshot');
    expect(events.filter((x) => x.value?.source.snapshot === 'incremental').map(keyId)).toEqual([1, 2, 3, 4, 5, 100]);
  });

  it('refuses the kafka channel, which needs the Kafka backend', async () => {
    const res = await env.post(env.newId(), { 'signal.enabled.channels': 'source,kafka' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/signal\.enabled\.channels=source,kafka is not supported: .*'kafka' needs the Kafka backend/);
  });
});
