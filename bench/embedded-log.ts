/**
 * Benchmark: the embedded log on its own. Produces 1,000,000 records of 60 bytes in send() calls of
 * 2000 (one source poll; the calls are built before timing), then consumes them in polls of 500, and prints records/s and the peak RSS
 * of the process, for an unkeyed 1-partition topic and a keyed (100k keys) 4-partition topic.
 * The reference, measured in the same run: better-sqlite3 storing the same records one row per
 * record in a plain (topic, partition, offset) table, in transactions of 2000, and reading them back
 * 500 rows per query. Each case runs in a fresh process; figures are medians of RUNS runs.
 *
 *   npm run build && node dist/bench/embedded-log.js [records] [runs]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openEmbeddedLog } from '../runtime/log/embedded/log.js';
import type { ProduceRecord } from '../runtime/log/log.js';

const SEND = 2000;
const POLL = 500;
const KEYS = 100_000;
const CASES = ['reference', 'unkeyed', 'keyed'] as const;
type Case = (typeof CASES)[number];

interface Result {
  produce: number;
  consume: number;
  peakRssMb: number;
}

function peakRssMb(): number {
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
  return kb / 1024;
}

const encoder = new TextEncoder();

/** 60 bytes: a line number and some text, like the file pipeline's lines. */
function value(i: number): Uint8Array {
  return encoder.encode(`${String(i).padStart(9, '0')} the quick brown fox jumps over the lazy dog!!!!!!!`);
}

function key(i: number): Uint8Array {
  return encoder.encode(`key-${i % KEYS}`);
}

/**
 * The send() calls, built before the clock starts so it times the store, not record creation: 10
 * distinct calls of SEND records, reused in turn (few, so they add little to the peak RSS).
 */
function calls(topic: string, keyed: boolean): ProduceRecord[][] {
  return Array.from({ length: 10 }, (_, c) =>
    Array.from({ length: SEND }, (_, j) => {
      const i = c * SEND + j;
      return { topic, key: keyed ? key(i) : null, value: value(i) };
    }),
  );
}

function seconds(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function runLog(dir: string, count: number, keyed: boolean): Promise<Result> {
  const log = openEmbeddedLog(dir, { cleanerIntervalMs: 0 });
  const topic = 'bench';
  const partitions = keyed ? 4 : 1;
  await log.admin().createTopic({ name: topic, partitions });
  const producer = log.producer();
  const sends = calls(topic, keyed);
  let t0 = process.hrtime.bigint();
  for (let n = 0; n * SEND < count; n++) await producer.send(sends[n % sends.length]!);
  const produce = count / seconds(t0);

  const consumer = log.consumer({ maxPollRecords: POLL });
  await consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  t0 = process.hrtime.bigint();
  let read = 0;
  let bytes = 0;
  while (read < count) {
    const records = await consumer.poll(1000);
    if (records.length === 0) throw new Error(`read ${read} of ${count} records`);
    read += records.length;
    for (const r of records) bytes += r.value!.length;
  }
  const consume = count / seconds(t0);
  if (bytes === 0) throw new Error('no bytes read');
  await log.close();
  return { produce, consume, peakRssMb: peakRssMb() };
}

/** The row-per-record approach: one SQLite row per record, as the embedded log stored them before. */
function runReference(dir: string, count: number): Result {
  const db = new Database(join(dir, 'reference.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE records (topic_id INTEGER NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
    timestamp INTEGER NOT NULL, key BLOB, value BLOB, headers BLOB, PRIMARY KEY (topic_id, partition, offset)) WITHOUT ROWID`);
  const insert = db.prepare('INSERT INTO records VALUES (1, 0, ?, ?, NULL, ?, NULL)');
  const fetch = db.prepare('SELECT offset, timestamp, key, value, headers FROM records WHERE topic_id = 1 AND partition = 0 AND offset >= ? ORDER BY offset LIMIT ?').raw(true);
  const insertMany = db.transaction((from: number, values: Uint8Array[]) => {
    const now = Date.now();
    for (let i = 0; i < values.length; i++) insert.run(from + i, now, values[i]);
  });
  const sends = calls('reference', false).map((records) => records.map((r) => r.value!));
  let t0 = process.hrtime.bigint();
  for (let n = 0; n * SEND < count; n++) insertMany.immediate(n * SEND, sends[n % sends.length]!);
  const produce = count / seconds(t0);
  t0 = process.hrtime.bigint();
  let bytes = 0;
  for (let position = 0; position < count; ) {
    const rows = fetch.all(position, POLL) as Array<[number, number, Buffer | null, Buffer, Buffer | null]>;
    for (const row of rows) bytes += row[3].length;
    position = rows[rows.length - 1]![0] + 1;
  }
  const consume = count / seconds(t0);
  if (bytes === 0) throw new Error('no bytes read');
  db.close();
  return { produce, consume, peakRssMb: peakRssMb() };
}

async function child(which: Case, count: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tsconnect-bench-log-'));
  try {
    const result = which === 'reference' ? runReference(dir, count) : await runLog(dir, count, which === 'keyed');
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function parent(count: number, runs: number): void {
  const results = new Map<Case, Result[]>(CASES.map((c) => [c, []]));
  for (let run = 0; run < runs; run++) {
    for (const which of CASES) {
      const out = spawnSync(process.execPath, [process.argv[1]!, '--case', which, String(count)], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`case ${which} failed: ${out.stderr}`);
      results.get(which)!.push(JSON.parse(out.stdout.trim()) as Result);
    }
  }
  const k = (n: number): string => `${Math.round(n / 1000)}k`;
  console.log(`embedded log: ${count} records of 60 bytes, send() of ${SEND}, poll() of ${POLL}; medians of ${runs} runs`);
  console.log('case                                   produce rec/s  consume rec/s  peak RSS');
  const label: Record<Case, string> = {
    reference: 'reference: better-sqlite3 row/record',
    unkeyed: 'embedded log, unkeyed, 1 partition',
    keyed: 'embedded log, keyed, 4 partitions',
  };
  for (const which of CASES) {
    const rs = results.get(which)!;
    const row = [k(median(rs.map((r) => r.produce))), k(median(rs.map((r) => r.consume))), `${median(rs.map((r) => r.peakRssMb)).toFixed(0)} MB`];
    console.log(`${label[which].padEnd(38)} ${row[0]!.padStart(13)}  ${row[1]!.padStart(13)}  ${row[2]!.padStart(8)}`);
  }
  const ref = results.get('reference')!;
  const un = results.get('unkeyed')!;
  console.log(
    `unkeyed vs reference: produce x${(median(un.map((r) => r.produce)) / median(ref.map((r) => r.produce))).toFixed(1)}, ` +
      `consume x${(median(un.map((r) => r.consume)) / median(ref.map((r) => r.consume))).toFixed(1)}`,
  );
}

const caseAt = process.argv.indexOf('--case');
if (caseAt >= 0) {
  await child(process.argv[caseAt + 1] as Case, Number(process.argv[caseAt + 2]));
} else {
  parent(Number(process.argv[2] ?? 1_000_000), Number(process.argv[3] ?? 3));
}
