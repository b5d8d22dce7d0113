/**
 * Benchmark: one CDC change event in memory, no database, no log: building it from a decoded
 * pgoutput insert (EventBuilder) and converting its key and value with JsonConverter
 * (schemas.enable=true), microseconds an event. Beside it, the reference: JSON.stringify of a
 * plain object holding the same envelope (payload and schema) and a UTF-8 Buffer of it.
 *
 *   npm run build && node --max-semi-space-size=8 --no-allocation-site-pretenuring dist/bench/cdc-events.js [events] [runs]
 *
 * Defaults: 200,000 narrow insert events (bigint, int, short text; 100 a transaction), 15 runs
 * after 3 warm-ups, medians. Run it with the worker's Node flags (the shebang's) to match a worker.
 *
 * A third line times what a source task's runner adds on the worker's main thread: the same events
 * with Debezium's four context headers, converted by SimpleHeaderConverter, and appended to an
 * embedded log in 1 MB sends (the runner's SEND_CHUNK_BYTES), batches Brotli-compressed and
 * committed to SQLite. Compared with the worker's CPU a record in bench:cdc, it tells the runtime's
 * share from the database's side (protocol, decoding, the record queue).
 */
import { EventBuilder, type TableInfo, type TupleValue } from '../connectors/postgres-cdc/events.js';
import { DEFAULT_TYPE_MODES } from '../connectors/postgres-cdc/types/index.js';
import { JsonConverter } from '../runtime/converters/json-converter.js';
import { DEBEZIUM_FORMAT, VERSION } from '../connectors/postgres-cdc/version.js';
import { contextHeaders } from '../connectors/postgres-cdc/context-headers.js';
import { SimpleHeaderConverter } from '../runtime/converters/simple-header-converter.js';
import { openEmbeddedLog } from '../runtime/log/embedded/log.js';
import type { ProduceRecord } from '../runtime/log/log.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const EVENTS = Number(process.argv[2] ?? 200_000);
const RUNS = Number(process.argv[3] ?? 15);

const table: TableInfo = {
  schema: 'public', name: 'bench', columns: [
    { name: 'id', key: true, type: { name: 'int8', oid: 20, typeMod: -1, optional: false } },
    { name: 'qty', key: false, type: { name: 'int4', oid: 23, typeMod: -1, optional: false } },
    { name: 'label', key: false, type: { name: 'text', oid: 25, typeMod: -1, optional: false } },
  ],
};
// The format the connector writes (DEBEZIUM_FORMAT: the source block with origin and origin_lsn).
const builder = new EventBuilder({ topicPrefix: 'bench', database: 'postgres', modes: DEFAULT_TYPE_MODES, connectorVersion: VERSION, debeziumFormat: DEBEZIUM_FORMAT });
const keys = new JsonConverter();
keys.configure({}, true);
const values = new JsonConverter();
values.configure({}, false);
// Text as pgoutput's decoder makes it (flat strings from a Buffer).
const tuples: TupleValue[][] = Array.from({ length: EVENTS }, (_, i) => [
  { kind: 'text', text: Buffer.from(String(i + 1_000_000)).toString() },
  { kind: 'text', text: Buffer.from(String(i % 1000)).toString() },
  { kind: 'text', text: Buffer.from(`item-${i}`).toString() },
]);
const commitUs = 1_763_800_000_000_000n;

/** Event i: an insert of tuple i, 100 a transaction, with the offset the connector gives it. */
function insertEvent(b: EventBuilder, i: number) {
  const lsn = 0x1_000_000n + BigInt(i);
  const tx = Math.floor(i / 100);
  const offset = { lsn_proc: Number(lsn), lsn_commit: Number(lsn), lsn: Number(lsn), txId: 1000 + tx, ts_usec: Number(commitUs) + tx };
  return b.create(table, tuples[i]!, { lsn, lsnCommit: lsn, txId: 1000 + tx, tsUs: commitUs + BigInt(tx), snapshot: 'false' }, { sourcePartition: { server: 'bench' }, sourceOffset: offset })[0]!;
}

function tsconnect(): number {
  let bytes = 0;
  for (let i = 0; i < EVENTS; i++) {
    const r = insertEvent(builder, i);
    bytes += keys.fromConnectData(r.topic, null, r.keySchema, r.key)!.byteLength;
    bytes += values.fromConnectData(r.topic, null, r.valueSchema, r.value)!.byteLength;
  }
  return bytes;
}

const withHeaders = new EventBuilder({ topicPrefix: 'bench', database: 'postgres', modes: DEFAULT_TYPE_MODES, connectorVersion: VERSION, debeziumFormat: DEBEZIUM_FORMAT, contextHeaders: contextHeaders('bench') });
const headerConverter = new SimpleHeaderConverter();
headerConverter.configure();
const logDir = mkdtempSync(join(tmpdir(), 'tsconnect-bench-events-'));
process.on('exit', () => rmSync(logDir, { recursive: true, force: true }));
const log = openEmbeddedLog(logDir, { cleanerIntervalMs: 0 });
const producer = log.producer();
const SEND_CHUNK_BYTES = 1024 * 1024;

/** Build, convert key, value and headers, append to the log in 1 MB sends: the runner's path. */
async function pipeline(): Promise<number> {
  let bytes = 0;
  let out: ProduceRecord[] = [];
  let outBytes = 0;
  for (let i = 0; i < EVENTS; i++) {
    const r = insertEvent(withHeaders, i);
    const key = keys.fromConnectData(r.topic, null, r.keySchema, r.key);
    const value = values.fromConnectData(r.topic, null, r.valueSchema, r.value);
    const headers: Array<{ key: string; value: Uint8Array | null }> = [];
    for (const h of r.headers) headers.push({ key: h.key, value: headerConverter.fromConnectHeader(r.topic, h.key, h.schema, h.value) });
    out.push({ topic: r.topic, key, value, headers });
    outBytes += key!.byteLength + value!.byteLength;
    if (outBytes >= SEND_CHUNK_BYTES) {
      await producer.send(out);
      bytes += outBytes;
      out = [];
      outBytes = 0;
    }
  }
  if (out.length > 0) await producer.send(out);
  return bytes + outBytes;
}

// The reference: the same JSON from plain objects, the envelope schema parsed once from tsconnect's output.
const sample = (() => {
  const [r] = builder.create(table, tuples[0]!, { lsn: 1n, lsnCommit: 1n, txId: 1, tsUs: commitUs, snapshot: 'false' }, { sourcePartition: { server: 'bench' }, sourceOffset: {} });
  return {
    key: JSON.parse(Buffer.from(keys.fromConnectData('t', null, r.keySchema, r.key)!).toString()) as { schema: unknown },
    value: JSON.parse(Buffer.from(values.fromConnectData('t', null, r.valueSchema, r.value)!).toString()) as { schema: unknown; payload: { source: Record<string, unknown> } },
  };
})();

function reference(): number {
  let bytes = 0;
  const source = sample.value.payload.source;
  for (let i = 0; i < EVENTS; i++) {
    const t = tuples[i]!;
    const id = Number((t[0] as { text: string }).text);
    const after = { id, qty: Number((t[1] as { text: string }).text), label: (t[2] as { text: string }).text };
    const lsn = 0x1_000_000 + i;
    const us = Date.now() * 1000;
    const payload = { before: null, after, source: { ...source, sequence: `["${lsn}","${lsn}"]`, lsn }, transaction: null, op: 'c', ts_ms: Math.floor(us / 1000), ts_us: us, ts_ns: us * 1000 };
    bytes += Buffer.from(JSON.stringify({ schema: sample.key.schema, payload: { id } })).byteLength;
    bytes += Buffer.from(JSON.stringify({ schema: sample.value.schema, payload })).byteLength;
  }
  return bytes;
}

function timeUs(fn: () => number): { us: number; bytes: number } {
  const started = process.hrtime.bigint();
  const bytes = fn();
  return { us: Number(process.hrtime.bigint() - started) / 1000 / EVENTS, bytes: bytes / EVENTS };
}

async function timeUsAsync(fn: () => Promise<number>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1000 / EVENTS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (let i = 0; i < 3; i++) {
  tsconnect();
  reference();
  await pipeline();
}
const ts: number[] = [];
const ref: number[] = [];
const piped: number[] = [];
let tsBytes = 0;
let refBytes = 0;
for (let i = 0; i < RUNS; i++) {
  const a = timeUs(tsconnect);
  const b = timeUs(reference);
  piped.push(await timeUsAsync(pipeline));
  ts.push(a.us);
  ref.push(b.us);
  tsBytes = a.bytes;
  refBytes = b.bytes;
}
await log.close();
console.log(`cdc-events: ${EVENTS.toLocaleString('en-US')} narrow insert events, ${RUNS} runs, medians`);
console.log(`  tsconnect  build + JsonConverter key and value  ${median(ts).toFixed(2)} us an event  (${Math.round(tsBytes)} bytes)`);
console.log(`  reference  JSON.stringify + Buffer.from         ${median(ref).toFixed(2)} us an event  (${Math.round(refBytes)} bytes)   ratio tsconnect/reference ${(median(ts) / median(ref)).toFixed(2)}`);
console.log(`  tsconnect  + context headers + embedded log     ${median(piped).toFixed(2)} us an event  (1 MB sends, Brotli, SQLite commit)`);
