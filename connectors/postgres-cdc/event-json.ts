/**
 * A change event's JSON written straight from its tuples (runtime/data/struct-source.ts): no row,
 * source or envelope Struct is built, the fields that are the same in every event of a table
 * (the source block's version, connector, name, db, schema and table) are copied as pre-rendered
 * bytes, and every other value goes through the converter's own writer for its field (the two
 * ts_ns fields as their microseconds' digits and "000"). So the bytes are the converter's by
 * construction; the test suite also compares every event with its built form
 * (TSCONNECT_CHECK_DEFERRED_JSON).
 */
import type { JsonBytesOut, JsonDialect, JsonValueWriter, Schema } from '../../runtime/api/index.js';
import type { TupleValue } from './replication/pgoutput.js';
import type { ColumnConverter } from './types/index.js';

/** A value column of a table's events: where its text is in the tuple and how it becomes the field's value. */
export interface EventColumn {
  index: number;
  converter: ColumnConverter;
  /** The column mapper's mapping (mask, hash, truncation), if any. */
  map?: (value: unknown) => unknown;
}

const ENVELOPE_FIELDS = ['before', 'after', 'source', 'transaction', 'op', 'ts_ms', 'ts_us', 'ts_ns'];
const CLOSE = Buffer.from('}');
const THOUSANDS = Buffer.from('000');
/** The ops of events written this way (EventBuilder's deferred records). */
const OPS = ['c', 'u', 'd', 'r'];

/**
 * The value of a tuple's column, for built events (EventBuilder.rowValues) and written ones alike:
 * unchanged TOAST takes the old tuple's value when it has one, else the placeholder.
 */
export function columnValue(tuple: TupleValue[], index: number, converter: ColumnConverter, old: TupleValue[] | null): unknown {
  const v = tuple[index];
  if (v === undefined || v.kind === 'null') return converter.convert(null);
  if (v.kind === 'text') return converter.convert(v.text);
  if (v.kind === 'binary') throw new Error(`column ${index + 1} of the tuple came in binary form, which the connector never asks pgoutput for`);
  if (old !== null) {
    const prior = columnValue(old, index, converter, null);
    if (prior !== null && prior !== undefined) return prior;
  }
  return converter.placeholder();
}

/** One table's events in one converter's JSON. */
export class EventJsonWriter {
  private readonly envelope: Uint8Array[];
  private readonly nullRow: JsonValueWriter;
  private readonly rowPrefixes: Uint8Array[];
  private readonly rowWriters: JsonValueWriter[];
  /** The source block: chunks of fixed bytes, each followed by one variable field; then sourceEnd. */
  private readonly sourceChunks: Uint8Array[];
  private readonly sourceWriters: Array<(values: unknown[], out: JsonBytesOut) => void>;
  private readonly sourceEnd: Uint8Array;
  /** Without a transaction block: the bytes from sourceEnd to `"ts_ms":`, per op (c, u, d, r). */
  private readonly tails = new Map<string, Uint8Array>();
  private readonly txWriter: JsonValueWriter;
  private readonly opWriter: JsonValueWriter;
  private readonly int64Writer: JsonValueWriter;

  /** Null when the envelope is not the one this writer knows (then events are written from their values). */
  static compile(dialect: JsonDialect, envelope: Schema, columns: readonly EventColumn[], fixedSource: ReadonlyMap<number, unknown>): EventJsonWriter | null {
    const fields = envelope.fields();
    if (fields.length !== ENVELOPE_FIELDS.length || fields.some((f, i) => f.name !== ENVELOPE_FIELDS[i])) return null;
    if (columns.length === 0) return null;
    return new EventJsonWriter(dialect, envelope, columns, fixedSource);
  }

  private constructor(dialect: JsonDialect, envelope: Schema, private readonly columns: readonly EventColumn[], fixedSource: ReadonlyMap<number, unknown>) {
    const fields = envelope.fields();
    this.envelope = dialect.fieldPrefixes(envelope);
    const rowSchema = fields[0]!.schema;
    this.nullRow = dialect.valueWriter(rowSchema);
    this.rowPrefixes = dialect.fieldPrefixes(rowSchema);
    this.rowWriters = rowSchema.fields().map((f) => dialect.valueWriter(f.schema));
    this.txWriter = dialect.valueWriter(fields[3]!.schema);
    this.opWriter = dialect.valueWriter(fields[4]!.schema);
    this.int64Writer = dialect.valueWriter(fields[5]!.schema);

    // Fixed fields are rendered once and merged with the prefixes around them into single chunks.
    const sourceSchema = fields[2]!.schema;
    const prefixes = dialect.fieldPrefixes(sourceSchema);
    this.sourceChunks = [];
    this.sourceWriters = [];
    const tsUs = sourceSchema.field('ts_us')?.index;
    let pending: Uint8Array[] = [];
    sourceSchema.fields().forEach((f, i) => {
      pending.push(prefixes[i]!);
      if (fixedSource.has(i)) {
        pending.push(dialect.render(f.schema, fixedSource.get(i)));
        return;
      }
      this.sourceChunks.push(Buffer.concat(pending));
      const write = dialect.valueWriter(f.schema);
      this.sourceWriters.push(f.name === 'ts_ns' && tsUs !== undefined ? (values, out) => nanosFromMicros(write, values[tsUs], out) || write(values[i], out) : (values, out) => write(values[i], out));
      pending = [];
    });
    this.sourceEnd = Buffer.concat([...pending, CLOSE]);
    const noTx = dialect.render(fields[3]!.schema, null);
    for (const op of OPS) {
      this.tails.set(op, Buffer.concat([this.sourceEnd, this.envelope[3]!, noTx, this.envelope[4]!, dialect.render(fields[4]!.schema, op), this.envelope[5]!]));
    }
  }

  /** `source`: the source block's values in field order (the fixed ones are not read). */
  write(out: JsonBytesOut, op: string, before: TupleValue[] | null, after: TupleValue[] | null, source: unknown[], transaction: unknown, nowUs: number): void {
    const env = this.envelope;
    out.bytes(env[0]!);
    if (before === null) this.nullRow(null, out);
    else this.row(out, before, null);
    out.bytes(env[1]!);
    if (after === null) this.nullRow(null, out);
    else this.row(out, after, before);
    out.bytes(env[2]!);
    const chunks = this.sourceChunks;
    for (let k = 0; k < chunks.length; k++) {
      out.bytes(chunks[k]!);
      this.sourceWriters[k]!(source, out);
    }
    const tail = transaction === null ? this.tails.get(op) : undefined;
    if (tail !== undefined) out.bytes(tail);
    else {
      out.bytes(this.sourceEnd);
      out.bytes(env[3]!);
      this.txWriter(transaction, out);
      out.bytes(env[4]!);
      this.opWriter(op, out);
      out.bytes(env[5]!);
    }
    // As envelopeValues makes them: numbers where exact, nanoseconds a bigint.
    this.int64Writer(Math.floor(nowUs / 1000), out);
    out.bytes(env[6]!);
    this.int64Writer(nowUs, out);
    out.bytes(env[7]!);
    if (!nanosFromMicros(this.int64Writer, nowUs, out)) this.int64Writer(BigInt(nowUs) * 1000n, out);
    out.bytes(CLOSE);
  }

  private row(out: JsonBytesOut, tuple: TupleValue[], old: TupleValue[] | null): void {
    const columns = this.columns;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      out.bytes(this.rowPrefixes[i]!);
      const v = tuple[c.index];
      let value = v !== undefined && v.kind === 'text' ? c.converter.convert(v.text) : columnValue(tuple, c.index, c.converter, old);
      if (c.map !== undefined) value = c.map(value);
      this.rowWriters[i]!(value, out);
    }
    out.bytes(CLOSE);
  }
}

/**
 * A nanosecond field that is its microsecond field times 1000, as the builder makes them: the
 * microseconds' digits and "000" when they are a positive number (true), without making the bigint
 * and its text (two a change were ~3% of writing it); false, having written nothing, otherwise.
 */
function nanosFromMicros(write: JsonValueWriter, us: unknown, out: JsonBytesOut): boolean {
  if (typeof us !== 'number' || us <= 0 || !Number.isSafeInteger(us)) return false;
  write(us, out);
  out.bytes(THOUSANDS);
  return true;
}
