/**
 * Benchmark: the Debezium-compatible Postgres CDC source on a standalone worker process, against a
 * throwaway Postgres (wal_level=logical) started by the test harness. Each figure is printed beside
 * a reference measured in the same run, with the ratio; medians of RUNS runs.
 *
 *   streaming  changes/s from the slot into the embedded log (narrow rows and 1 KB rows), beside
 *              pg_recvlogical (pgoutput, the connector's options) decoding the same WAL
 *   snapshot   rows/s of snapshot.mode=initial_only into the log, beside COPY ... TO STDOUT (psql)
 *   lag        p50/p99 from commit (source.ts_us) to the record's log timestamp at a steady load
 *   RSS        the worker's peak resident set in each phase
 *   --debezium adds Debezium's own connector (embedded engine, JVM; bench/debezium, built with
 *              Maven on first use) to the streaming and snapshot phases, beside tsconnect
 *
 *   npm run build && node dist/bench/postgres-cdc.js [snapshotRows] [runs] [--changes=N]
 *       [--lag-rate=N] [--lag-seconds=N] [--phases=stream,snapshot,lag] [--cpu-prof=DIR]
 *       [--debezium] [--doc-rows=N]
 *
 * Defaults: 500,000 narrow snapshot rows, 100,000 narrow streamed changes (1 KB rows: a tenth of
 * each; 3,000 100 KB documents in the snapshot phase), 10,000 changes/s for 10 s, 3 runs.
 * --cpu-prof writes one V8 profile per worker into DIR and prints where the time went (the
 * profiler itself adds to the worker's RSS).
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startPostgres } from '../test/harness/postgres.js';
import { BenchDatabase, shapeLabel, type Shape } from './postgres-cdc/database.js';
import { formatSummary, profileFiles, summariseFile } from './postgres-cdc/profile-summary.js';
import { fmt, median, percentile } from './postgres-cdc/stats.js';
import { prepareDebezium, runDebezium, type DebeziumRun } from './postgres-cdc/debezium.js';
import { connectorConfig, startBenchWorker, type BenchWorker } from './postgres-cdc/worker.js';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = new Map(process.argv.slice(2).filter((a) => a.startsWith('--')).map((a) => {
  const [k, v] = a.slice(2).split('=');
  return [k!, v ?? 'true'];
}));
const SNAPSHOT_ROWS = Number(positional[0] ?? 500_000);
const RUNS = Number(positional[1] ?? 3);
const CHANGES = Number(flags.get('changes') ?? 100_000);
/** 1 KB rows: a tenth of the narrow counts, so a default run stays within a few minutes. */
const WIDE_FACTOR = 0.1;
/** 100 KB documents in the snapshot phase (0: none): 3,000 are 300 MB of row text. */
const DOC_ROWS = Number(flags.get('doc-rows') ?? 3_000);
const TX_ROWS = 100;
const LAG_RATE = Number(flags.get('lag-rate') ?? 10_000);
const LAG_SECONDS = Number(flags.get('lag-seconds') ?? 10);
const LAG_WARMUP_SECONDS = 2;
const LAG_TICK_MS = 5;
const PHASES = new Set((flags.get('phases') ?? 'stream,snapshot,lag').split(','));
/** `--set=key=value` (repeatable): connector config for tsconnect's runs, e.g. value.converter.schemas.enable=false. */
const CONNECTOR_SETTINGS: Record<string, string> = Object.fromEntries(
  process.argv.slice(2).filter((a) => a.startsWith('--set=')).map((a) => {
    const kv = a.slice('--set='.length);
    const at = kv.indexOf('=');
    if (at <= 0) throw new Error(`--set needs key=value: ${a}`);
    return [kv.slice(0, at), kv.slice(at + 1)];
  }),
);
const CPU_PROF = flags.has('cpu-prof') ? resolve(flags.get('cpu-prof')!) : null;
/** Off again when --debezium is given but Java or Maven is missing (prepareDebezium says so). */
let withDebezium = flags.has('debezium') && (PHASES.has('stream') || PHASES.has('snapshot'));

interface StreamRun { changes: number; cpu: RecordCpu; tsMs: number; firstMs: number; refMs: number; refBytes: number; rssMb: number; batch: number; tsValueBytes: number; dbz: DebeziumRun | null }
interface SnapshotRun { rows: number; cpu: RecordCpu; tsMs: number; firstMs: number; copyMs: number; rssMb: number; batch: number; tsValueBytes: number; dbz: DebeziumRun | null }
interface LagRun { valueBytes: number; p50: number; p99: number; max: number; samples: number; rate: number; rssMb: number; batch: number }

/** Worker CPU a record, us: its main thread, and the whole process. */
interface RecordCpu { main: number; process: number }

function cpuPerRecord(before: { main: number; process: number }, after: { main: number; process: number }, records: number): RecordCpu {
  return { main: ((after.main - before.main) * 1000) / records, process: ((after.process - before.process) * 1000) / records };
}

/** Medians of the runs' CPU a record. */
function cpuLine(runs: Array<{ cpu: RecordCpu }>): string {
  return `worker CPU a record ${fmt(median(runs.map((r) => r.cpu.main)), 2)} us on its main thread, ${fmt(median(runs.map((r) => r.cpu.process)), 2)} us in all`;
}

const elapsedMs = (since: number) => Number(process.hrtime.bigint()) / 1e6 - since;
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

async function withWorker<T>(base: string, name: string, fn: (w: BenchWorker) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(base, `${name}-`));
  const worker = await startBenchWorker(dir, CPU_PROF ? join(CPU_PROF, name) : null);
  try {
    return await fn(worker);
  } finally {
    await worker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Average record value size in the worker's log; only with --debezium, to compare with Debezium's output. */
async function logValueBytes(w: BenchWorker, topic: string): Promise<number> {
  return withDebezium ? (await w.commitToLogDelays(topic, Infinity)).valueBytes : NaN;
}

/** All slots exist before the changes are written, so all readers decode the same WAL. */
async function streamRun(db: BenchDatabase, base: string, shape: Shape, run: number): Promise<StreamRun> {
  const changes = Math.round(shape === 'wide' ? CHANGES * WIDE_FACTOR : CHANGES);
  const table = `stream_${shape}_${run}`;
  const pub = `pub_${table}`;
  await db.createTable(table, shape);
  await db.createPublication(pub, [table]);
  await db.createSlot(`ref_${table}`);
  await db.createSlot(`ts_${table}`);
  if (withDebezium) await db.createSlot(`dbz_${table}`);
  await db.fill(table, shape, 1, changes, TX_ROWS);
  const marker = `end-of-${table}-${Date.now()}`;
  await db.emitMarker(marker);
  const ref = await db.timeRecvlogical(`ref_${table}`, pub, marker, base);
  const result = await withWorker(base, `stream-${shape}-${run}`, async (w) => {
    const topic = `bench.public.${table}`;
    const cpuBefore = w.cpuMs();
    const started = nowMs();
    const startedWall = Date.now();
    await w.deploy(table, connectorConfig(db.cluster, 'bench', table, {
      ...CONNECTOR_SETTINGS,
      'slot.name': `ts_${table}`,
      'publication.name': pub,
      'publication.autocreate.mode': 'disabled',
      'snapshot.mode': 'no_data',
    }));
    const done = await w.waitFor(topic, changes, 600_000);
    const cpu = cpuPerRecord(cpuBefore, w.cpuMs(), changes);
    return { changes, cpu, tsMs: done - started, firstMs: (await w.firstAppendedAt(topic)) - startedWall, refMs: ref.ms, refBytes: ref.bytes, rssMb: w.peakRssMb(), batch: await w.taskMetric(table, 'batch_size_avg'), tsValueBytes: await logValueBytes(w, topic) };
  });
  const dbz = withDebezium ? await runDebezium(db.cluster, { slot: `dbz_${table}`, publication: pub, table, snapshotMode: 'no_data', expect: changes, timeoutMs: 600_000, extra: { 'publication.autocreate.mode': 'disabled' } }) : null;
  await db.dropSlots();
  await db.query(`DROP TABLE ${table}`);
  await db.query(`DROP PUBLICATION ${pub}`);
  return { ...result, dbz };
}

async function snapshotRun(db: BenchDatabase, base: string, shape: Shape, rows: number, run: number): Promise<SnapshotRun> {
  const table = `snap_${shape}`;
  const copyMs = db.timeCopy(table);
  const result = await withWorker(base, `snapshot-${shape}-${run}`, async (w) => {
    const topic = `bench.public.${table}`;
    const cpuBefore = w.cpuMs();
    const started = nowMs();
    const startedWall = Date.now();
    await w.deploy(table, connectorConfig(db.cluster, 'bench', table, {
      ...CONNECTOR_SETTINGS,
      'slot.name': `snap_${shape}_${run}`,
      'publication.name': `pub_snap_${shape}_${run}`,
      'publication.autocreate.mode': 'filtered',
      'snapshot.mode': 'initial_only',
    }));
    const done = await w.waitFor(topic, rows, 1_800_000);
    const cpu = cpuPerRecord(cpuBefore, w.cpuMs(), rows);
    return { rows, cpu, tsMs: done - started, firstMs: (await w.firstAppendedAt(topic)) - startedWall, copyMs, rssMb: w.peakRssMb(), batch: await w.taskMetric(table, 'batch_size_avg'), tsValueBytes: await logValueBytes(w, topic) };
  });
  await db.dropSlots();
  await db.query(`DROP PUBLICATION IF EXISTS pub_snap_${shape}_${run}`);
  if (!withDebezium) return { ...result, dbz: null };
  const dbz = await runDebezium(db.cluster, { slot: `dbz_snap_${shape}_${run}`, publication: `pub_dbz_snap_${shape}_${run}`, table, snapshotMode: 'initial_only', expect: rows, timeoutMs: 1_800_000, extra: { 'publication.autocreate.mode': 'filtered' } });
  await db.dropSlots();
  await db.query(`DROP PUBLICATION IF EXISTS pub_dbz_snap_${shape}_${run}`);
  return { ...result, dbz };
}

/** Narrow inserts at LAG_RATE changes/s: every LAG_TICK_MS one transaction with the rows now due. */
async function lagRun(db: BenchDatabase, base: string, run: number): Promise<LagRun> {
  const table = `lag_${run}`;
  await db.createTable(table, 'narrow');
  const result = await withWorker(base, `lag-${run}`, async (w) => {
    const topic = `bench.public.${table}`;
    await w.deploy(table, connectorConfig(db.cluster, 'bench', table, {
      ...CONNECTOR_SETTINGS,
      'slot.name': `lag_${run}`,
      'publication.name': `pub_lag_${run}`,
      'publication.autocreate.mode': 'filtered',
      'snapshot.mode': 'no_data',
    }));
    // Streaming has begun once a change made now arrives.
    await db.insertRows(table, 'narrow', 1, 1);
    await w.waitFor(topic, 1, 30_000);
    const total = LAG_RATE * LAG_SECONDS;
    let sent = 0;
    const started = nowMs();
    const wallStart = Date.now();
    while (sent < total) {
      const due = Math.min(total, Math.floor((elapsedMs(started) / 1000) * LAG_RATE));
      if (due > sent) {
        await db.insertRows(table, 'narrow', 2 + sent, due - sent);
        sent = due;
      }
      const nextTick = started + (Math.floor(elapsedMs(started) / LAG_TICK_MS) + 1) * LAG_TICK_MS;
      await new Promise((r) => setTimeout(r, Math.max(0, nextTick - nowMs())));
    }
    const rate = total / (elapsedMs(started) / 1000);
    await w.waitFor(topic, total + 1, 120_000);
    const { delays, valueBytes } = await w.commitToLogDelays(topic, wallStart + LAG_WARMUP_SECONDS * 1000);
    return { valueBytes, p50: percentile(delays, 50), p99: percentile(delays, 99), max: percentile(delays, 100), samples: delays.length, rate, rssMb: w.peakRssMb(), batch: await w.taskMetric(table, 'batch_size_avg') };
  });
  await db.dropSlots();
  await db.query(`DROP TABLE ${table}`);
  await db.query(`DROP PUBLICATION IF EXISTS pub_lag_${run}`);
  return result;
}

/** tsconnect beside Debezium: rates from the runs' times, and what each produced a record. */
function debeziumLines(n: number, unit: string, tsMs: number[], tsValueBytes: number[], dbz: DebeziumRun[]): string[] {
  const ts = median(tsMs.map((ms) => n / (ms / 1000)));
  const ref = median(dbz.map((d) => d.count / (d.ms / 1000)));
  const perRecord = (d: DebeziumRun) => d.valueBytes / d.count;
  return [
    `  ${`vs Debezium ${dbz[0]!.version} (embedded engine)`.padEnd(52)} tsconnect ${fmt(ts).padStart(9)} ${unit}   Debezium ${fmt(ref).padStart(9)} ${unit}   ratio tsconnect/Debezium ${(ts / ref).toFixed(2)}`,
    `    Debezium JVM peak RSS ${fmt(median(dbz.map((d) => d.rssMb)))} MB; after its first record ${fmt(median(dbz.map((d) => (d.count - 1) / ((d.ms - d.firstMs) / 1000))))} ${unit}; value bytes a record: Debezium ${fmt(median(dbz.map(perRecord)))}, tsconnect ${fmt(median(tsValueBytes))}; runs (engine start to last record; first record; JVM spawn to last): ${dbz.map((d) => `${fmt(d.ms)} ms; ${fmt(d.firstMs)} ms; ${fmt(d.wallMs)} ms, ${fmt(d.rssMb)} MB`).join(' | ')}`,
  ];
}

/** The rate once records flow: connector start-up (connection, slot, first batch) left out. */
function afterFirst(runs: Array<{ n: number; ms: number; firstMs: number }>): string {
  return fmt(median(runs.map((r) => (r.n - 1) / ((r.ms - r.firstMs) / 1000))));
}

function ratioLine(what: string, ts: number, ref: number, unit: string, refName: string, goal: number): string {
  const r = ts / ref;
  return `  ${what.padEnd(52)} tsconnect ${fmt(ts).padStart(9)} ${unit}   ${refName} ${fmt(ref).padStart(9)} ${unit}   ratio ${r.toFixed(2)} (goal >= ${goal.toFixed(2)}: ${r >= goal ? 'met' : 'NOT met'})`;
}

async function main(): Promise<void> {
  const debezium = withDebezium ? prepareDebezium() : null;
  withDebezium = debezium !== null;
  const base = await mkdtemp(join(tmpdir(), 'tsconnect-bench-cdc-'));
  // Room for the WAL the fills write; no checkpoint in the middle of a timed phase.
  const cluster = await startPostgres({ conf: ['max_wal_size = 8GB', 'checkpoint_timeout = 30min', 'wal_sender_timeout = 60s'] });
  const db = await BenchDatabase.open(cluster);
  const began = Date.now();
  try {
    const version = (await db.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    const settings = Object.entries(CONNECTOR_SETTINGS).map(([k, v]) => `${k}=${v}`).join(', ');
    console.log(`postgres-cdc bench: PostgreSQL ${version}, worker defaults (JsonConverter, schemas.enable=true)${settings ? `, connector settings ${settings}` : ''}, embedded log, ${RUNS} run(s), medians`);
    if (debezium) console.log(`Debezium: its Postgres connector on the embedded engine (plugin.name=pgoutput, JsonConverter schemas.enable=true for key and value, offsets in memory), records counted not written; own slot made with the others; ${debezium.describe}`);

    if (PHASES.has('stream')) {
      console.log(`streaming: inserts, ${TX_ROWS} rows a transaction, all slots made before the writes; tsconnect timed from deploy to the last record in the log, pg_recvlogical (pgoutput, proto_version=1, messages=true, to a file) to the end marker${withDebezium ? ', Debezium (snapshot.mode=no_data) from engine start to the last record counted' : ''}`);
      for (const shape of ['narrow', 'wide'] as Shape[]) {
        const runs: StreamRun[] = [];
        for (let i = 0; i < RUNS; i++) runs.push(await streamRun(db, base, shape, i));
        const n = runs[0]!.changes;
        const ts = median(runs.map((r) => r.changes / (r.tsMs / 1000)));
        const ref = median(runs.map((r) => r.changes / (r.refMs / 1000)));
        console.log(ratioLine(`${fmt(n)} changes, ${shapeLabel(shape)}`, ts, ref, 'changes/s', 'pg_recvlogical', 0.7));
        console.log(`    ${cpuLine(runs)}; worker peak RSS ${fmt(median(runs.map((r) => r.rssMb)))} MB, ${fmt(median(runs.map((r) => r.batch)), 1)} records a poll; after its first record ${afterFirst(runs.map((r) => ({ n: r.changes, ms: r.tsMs, firstMs: r.firstMs })))} changes/s; runs (deploy to last record, first record; pg_recvlogical): ${runs.map((r) => `${fmt(r.tsMs)} ms, ${fmt(r.firstMs)} ms; ${fmt(r.refMs)} ms`).join(' | ')}`);
        if (runs[0]!.dbz) for (const l of debeziumLines(n, 'changes/s', runs.map((r) => r.tsMs), runs.map((r) => r.tsValueBytes), runs.map((r) => r.dbz!))) console.log(l);
      }
    }

    if (PHASES.has('snapshot')) {
      console.log(`snapshot: snapshot.mode=initial_only, timed from deploy to the last record in the log; COPY <table> TO STDOUT through psql into /dev/null${withDebezium ? '; Debezium (initial_only, own slot and publication) from engine start to the last record counted' : ''}`);
      for (const shape of (DOC_ROWS > 0 ? ['narrow', 'wide', 'doc'] : ['narrow', 'wide']) as Shape[]) {
        const rows = shape === 'doc' ? DOC_ROWS : Math.round(shape === 'wide' ? SNAPSHOT_ROWS * WIDE_FACTOR : SNAPSHOT_ROWS);
        await db.createTable(`snap_${shape}`, shape);
        await db.fill(`snap_${shape}`, shape, 1, rows, 100_000);
        await db.query(`VACUUM ANALYZE snap_${shape}`);
        const mb = (await db.tableBytes(`snap_${shape}`)) / 1e6;
        const runs: SnapshotRun[] = [];
        for (let i = 0; i < RUNS; i++) runs.push(await snapshotRun(db, base, shape, rows, i));
        const ts = median(runs.map((r) => r.rows / (r.tsMs / 1000)));
        const ref = median(runs.map((r) => r.rows / (r.copyMs / 1000)));
        console.log(ratioLine(`${fmt(rows)} rows (${fmt(mb)} MB), ${shapeLabel(shape)}`, ts, ref, 'rows/s', 'COPY', 0.5));
        const rss = median(runs.map((r) => r.rssMb));
        console.log(`    ${cpuLine(runs)}; worker peak RSS ${fmt(rss)} MB, ${fmt(median(runs.map((r) => r.batch)), 1)} records a poll${shape === 'narrow' ? ` (goal < 250 MB for 10,000,000 rows; this run ${fmt(rows)}: ${rss < 250 ? 'met' : 'NOT met'})` : ''}; after its first record ${afterFirst(runs.map((r) => ({ n: r.rows, ms: r.tsMs, firstMs: r.firstMs })))} rows/s; runs (deploy to last record, first record; COPY): ${runs.map((r) => `${fmt(r.tsMs)} ms, ${fmt(r.firstMs)} ms; ${fmt(r.copyMs)} ms, ${fmt(r.rssMb)} MB`).join(' | ')}`);
        if (runs[0]!.dbz) for (const l of debeziumLines(rows, 'rows/s', runs.map((r) => r.tsMs), runs.map((r) => r.tsValueBytes), runs.map((r) => r.dbz!))) console.log(l);
        await db.query(`DROP TABLE snap_${shape}`);
      }
    }

    if (PHASES.has('lag')) {
      const runs: LagRun[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await lagRun(db, base, i));
      const p99 = median(runs.map((r) => r.p99));
      console.log(`lag: narrow inserts at ${fmt(LAG_RATE)} changes/s for ${LAG_SECONDS} s (one transaction every ${LAG_TICK_MS} ms; first ${LAG_WARMUP_SECONDS} s left out), commit time (source.ts_us) to the record's log timestamp`);
      console.log(`  p50 ${fmt(median(runs.map((r) => r.p50)))} ms   p99 ${fmt(p99)} ms (goal < 100 ms: ${p99 < 100 ? 'met' : 'NOT met'})   max ${fmt(median(runs.map((r) => r.max)))} ms   load achieved ${fmt(median(runs.map((r) => r.rate)))} changes/s`);
      console.log(`    worker peak RSS ${fmt(median(runs.map((r) => r.rssMb)))} MB, ${fmt(median(runs.map((r) => r.batch)), 1)} records a poll, ${fmt(median(runs.map((r) => r.valueBytes)))} bytes a record value; runs: ${runs.map((r) => `p50 ${fmt(r.p50)} p99 ${fmt(r.p99)} max ${fmt(r.max)} ms over ${fmt(r.samples)}`).join(' | ')}`);
    }
    console.log(`done in ${fmt((Date.now() - began) / 1000)} s`);

    if (CPU_PROF) {
      // One worker (one profile) per phase and run, in the order they ran.
      for (const dir of readdirSync(CPU_PROF, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(CPU_PROF, d.name)).sort()) {
        for (const f of profileFiles(dir)) console.log(formatSummary(f, summariseFile(f)));
      }
    }
  } finally {
    await db.close().catch(() => undefined);
    await cluster.stop();
    await rm(base, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
