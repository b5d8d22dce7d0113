/**
 * Debezium change events for Postgres rows: topic names, key/value schemas, the envelope with its
 * source block, tombstones, primary-key changes, TOAST placeholders, truncates and logical decoding
 * messages, field for field as Debezium's Postgres connector writes them.
 */
import { ConnectHeaders, getLogger, SchemaBuilder, Schemas, SourceRecord, Struct, type Header, type JsonBytesOut, type JsonDialect, type Schema, type SourceMap, type StructSource } from '../../runtime/api/index.js';
import type { ColumnMappers } from './column-mappers.js';
import { columnValue, EventJsonWriter, type EventColumn } from './event-json.js';
import { columnConverter, includesColumn, type ColumnConverter, type ColumnType, type TypeModes } from './types/index.js';

/** A column value as pgoutput sends it (and snapshots read it): the same type, so no copy per change. */
export type { TupleValue } from './replication/pgoutput.js';
import type { TupleValue } from './replication/pgoutput.js';

const log = getLogger('connectors.postgres-cdc');

export interface TableColumn {
  /** The column's name. */
  name: string;
  type: ColumnType;
  /** Part of the primary key (or, without one, of the replica identity index). */
  key: boolean;
  /** Left out of the value by column.include.list / column.exclude.list (still read, to keep tuple positions). */
  excluded?: boolean;
  /** The driver's type name where it is not the type's (serial, bigserial, smallserial), for column mappers. */
  sourceType?: string;
}

export interface TableInfo {
  schema: string;
  name: string;
  /** In table order; tuples give one value per column in this order. */
  columns: TableColumn[];
  /** The key columns in key order (Debezium follows the primary key's order); default: the key columns in table order. */
  keyColumns?: string[];
}

export type SnapshotMarker = 'true' | 'first' | 'first_in_data_collection' | 'last_in_data_collection' | 'last' | 'false' | 'incremental';

/** Debezium's marker of a snapshot record from its place in the snapshot and its table. */
export function snapshotMarker(firstInSnapshot: boolean, lastInSnapshot: boolean, firstInTable: boolean, lastInTable: boolean): SnapshotMarker {
  if (lastInSnapshot) return 'last';
  if (firstInSnapshot) return 'first';
  if (lastInTable) return 'last_in_data_collection';
  if (firstInTable) return 'first_in_data_collection';
  return 'true';
}

export interface SourceInfo {
  /** The change's LSN. */
  lsn: bigint | null;
  /** The end LSN of the last transaction committed before this change (the first member of `sequence`, as Debezium fills it). */
  lsnCommit?: bigint | null;
  txId?: number | bigint | null;
  /** Commit time (snapshot: read time), µs since the epoch. */
  tsUs: bigint;
  snapshot: SnapshotMarker;
  xmin?: number | bigint | null;
  /** The event's place in its transaction, with provide.transaction.metadata. */
  transaction?: { id: string; totalOrder: number; dataCollectionOrder: number } | null;
  /** Replication origin (Debezium 3.5+ only). */
  origin?: string | null;
  originLsn?: bigint | null;
}

/**
 * Where a record comes from, as the caller's offset bookkeeping sees it. Records take its two
 * fields by name: `{ ...pos, topic, ... }` made V8 clone through a slow generic path, 5 of the
 * 8.5 us an event took to build.
 */
export interface RecordPosition {
  sourcePartition: SourceMap;
  sourceOffset: SourceMap;
}

export type Operation = 'c' | 'u' | 'd' | 't';

export interface EventBuilderOptions {
  /** topic.prefix */
  topicPrefix: string;
  /** The database name, the source block's `db`. */
  database: string;
  modes: TypeModes;
  /** The version the source block reports. */
  connectorVersion: string;
  /** The Debezium release whose event format is written (default connectorVersion): 3.5+ adds origin and origin_lsn. */
  debeziumFormat?: string;
  /** tombstones.on.delete (default true) */
  tombstonesOnDelete?: boolean;
  /** skipped.operations (Debezium's default: truncate) */
  skippedOps?: Operation[];
  /** skip.messages.without.change: no event for an update that changes no column in the value (needs the old row: REPLICA IDENTITY FULL). */
  skipUnchanged?: boolean;
  /** include.unknown.datatypes (default false): columns of unknown types are left out otherwise. */
  includeUnknownDatatypes?: boolean;
  /** The processing time, µs since the epoch (the envelope's ts_ms/ts_us/ts_ns); a safe integer. */
  clockUs?: () => number;
  /** column.truncate/mask/propagate rules (column-mappers.ts); none by default. */
  columnMappers?: ColumnMappers;
  /** extended.headers.enabled: the headers every data change event carries (context-headers.ts); none by default. */
  contextHeaders?: readonly Header[];
}

export const NEWKEY_HEADER = '__debezium.newkey';
export const OLDKEY_HEADER = '__debezium.oldkey';
const SNAPSHOT_VALUES = ['true', 'first', 'first_in_data_collection', 'last_in_data_collection', 'last', 'false', 'incremental'];

/** The transaction block: present in every envelope schema, filled only with provide.transaction.metadata. */
export const TRANSACTION_SCHEMA = SchemaBuilder.struct().optional().name('event.block').version(1)
  .field('id', Schemas.STRING).field('total_order', Schemas.INT64).field('data_collection_order', Schemas.INT64).build();

export interface TableSchemas {
  topic: string;
  keySchema: Schema | null;
  valueSchema: Schema;
  envelopeSchema: Schema;
  /** Columns that appear in events, with their positions in the tuple. */
  columns: Array<{ column: TableColumn; index: number; converter: ColumnConverter }>;
  keyColumns: Array<{ column: TableColumn; index: number; converter: ColumnConverter }>;
  /** Every column converted from a tuple: the value's and the key's (a key column may be left out of the value). */
  decoded: Array<{ column: TableColumn; index: number; converter: ColumnConverter }>;
  /** Value fields a column mapper changes (masks, hashes, truncation): the field's position and the mapping. */
  mapped: Array<{ field: number; map: (value: unknown) => unknown }>;
  /** The value's columns with their mappings, as events written straight to JSON take them (event-json.ts). */
  eventColumns: EventColumn[];
  /** Per converter's dialect, the writer of these events' JSON (null: written from their values). */
  jsonWriters: WeakMap<JsonDialect, EventJsonWriter | null>;
}

/** The source block's fields that are the same in every event of a table, pre-rendered by EventJsonWriter. */
const FIXED_SOURCE_FIELDS = ['version', 'connector', 'name', 'db', 'schema', 'table'];

/**
 * A data change event's envelope before it is built: a JsonConverter has it write its JSON from
 * the tuples; anything else reading the value builds it (Struct.deferred).
 */
export class ChangeEvent implements StructSource {
  constructor(
    private readonly builder: EventBuilder, readonly table: TableInfo, readonly s: TableSchemas, readonly op: 'c' | 'u' | 'd' | 'r',
    readonly before: TupleValue[] | null, readonly after: TupleValue[] | null, readonly source: SourceInfo, readonly nowUs: number,
  ) {}

  values(): unknown[] {
    return this.builder.eventValues(this);
  }

  writeJson(out: JsonBytesOut, dialect: JsonDialect): boolean {
    return this.builder.writeEventJson(this, out, dialect);
  }

  /** What it holds, roughly as record-size.ts counts a built value: its texts, 32 per tuple slot, its source. */
  approximateBytes(): number {
    return 200 + tupleBytes(this.before) + tupleBytes(this.after);
  }
}

function tupleBytes(tuple: TupleValue[] | null): number {
  if (tuple === null) return 0;
  let n = 16;
  for (const v of tuple) n += v.kind === 'text' ? 48 + v.text.length : v.kind === 'binary' ? 96 + v.data.length : 32;
  return n;
}

export class EventBuilder {
  readonly sourceSchema: Schema;
  private readonly cache = new WeakMap<TableInfo, TableSchemas>();
  /** Each table's envelope schema -> the table it was built from (the reselect post-processor's lookup). */
  private readonly byEnvelope = new WeakMap<Schema, TableInfo>();
  private readonly tombstones: boolean;
  private readonly skipped: Set<Operation>;
  private readonly clockUs: () => number;
  /** The last source time and its three fields: a transaction's events share their commit time. */
  private lastSourceTs: bigint | null = null;
  private lastSourceFields: [number | bigint, number | bigint, number | bigint] = [0, 0, 0];
  private readonly withOrigin: boolean;
  private messageSchemas: { key: Schema; value: Schema; block: Schema } | null = null;

  constructor(private readonly opts: EventBuilderOptions) {
    this.tombstones = opts.tombstonesOnDelete ?? true;
    this.skipped = new Set(opts.skippedOps ?? ['t']);
    this.clockUs = opts.clockUs ?? microsecondClock;
    this.withOrigin = versionAtLeast(opts.debeziumFormat ?? opts.connectorVersion, 3, 5);
    this.sourceSchema = this.buildSourceSchema();
  }

  /** A data change event's headers: the key change header if any, then the context headers. */
  private headersAfter(keyHeader?: ConnectHeaders): ConnectHeaders | undefined {
    const context = this.opts.contextHeaders;
    if (!context || context.length === 0) return keyHeader;
    return keyHeader ? new ConnectHeaders([...keyHeader, ...context]) : new ConnectHeaders(context);
  }

  /** Schemas of a table, built once per TableInfo object (a new relation message means a new object). */
  tableSchemas(table: TableInfo): TableSchemas {
    let s = this.cache.get(table);
    if (!s) {
      s = this.buildTableSchemas(table);
      this.cache.set(table, s);
      this.byEnvelope.set(s.envelopeSchema, table);
    }
    return s;
  }

  create(table: TableInfo, after: TupleValue[], source: SourceInfo, pos: RecordPosition): SourceRecord[] {
    if (this.skipped.has('c')) return [];
    return [this.deferredRecord(table, 'c', null, after, source, pos)];
  }

  /** The table whose events have this envelope schema (built by this builder), or undefined. */
  tableOf(envelopeSchema: Schema): TableInfo | undefined {
    return this.byEnvelope.get(envelopeSchema);
  }

  /**
   * The value's columns as the reselect post-processor needs them: position in the value struct,
   * the unmapped TOAST placeholder, and the conversion of a column's text into the field's value
   * (column mappers applied), as events get them.
   */
  valueColumns(table: TableInfo): Array<{ name: string; field: number; placeholder: unknown; convert(text: string | null): unknown }> {
    const s = this.tableSchemas(table);
    return s.columns.map(({ column, converter }, field) => {
      const map = s.mapped.find((m) => m.field === field)?.map;
      return { name: column.name, field, placeholder: converter.placeholder(), convert: (text) => (map ? map(converter.convert(text)) : converter.convert(text)) };
    });
  }

  /** A snapshot row (op `r`). */
  read(table: TableInfo, row: TupleValue[], source: SourceInfo, pos: RecordPosition): SourceRecord[] {
    return [this.deferredRecord(table, 'r', null, row, source, pos)];
  }

  /**
   * `before` is the old tuple when the replica identity sends one (FULL, or a changed key), else null.
   * `nextSource`: the source of a key change's create, which takes the next place in the transaction
   * (Debezium counts the delete and the create as two events).
   */
  update(table: TableInfo, before: TupleValue[] | null, after: TupleValue[], source: SourceInfo, pos: RecordPosition, nextSource?: () => SourceInfo): SourceRecord[] {
    if (this.skipped.has('u')) return [];
    const s = this.tableSchemas(table);
    if (!this.opts.skipUnchanged) {
      // The keys alone tell a plain update from a key change; a plain one is written from its tuples.
      const oldKey = before ? this.tupleKey(s, before, null) : null;
      const newKey = this.tupleKey(s, after, before);
      if (oldKey === null || oldKey.equals(newKey)) return [this.deferredRecord(table, 'u', before, after, source, pos, newKey)];
    }
    const oldValues = before ? this.rowValues(table, before, null) : null;
    const newValues = this.rowValues(table, after, before);
    const oldKey = oldValues ? this.key(s, oldValues) : null;
    const newKey = this.key(s, newValues);
    if (oldKey === null || oldKey.equals(newKey)) {
      if (this.opts.skipUnchanged && oldValues && this.valueStruct(s, oldValues).equals(this.valueStruct(s, newValues))) return [];
      return [this.changeRecord(table, 'u', oldValues, newValues, source, pos)];
    }
    // A key change is a delete of the old key and a create of the new one, each naming the other key.
    const del = this.changeRecord(table, 'd', oldValues, null, source, pos, new ConnectHeaders().add(NEWKEY_HEADER, newKey, s.keySchema));
    const out = [del];
    if (this.tombstones) out.push(tombstoneOf(del));
    out.push(this.changeRecord(table, 'c', null, newValues, nextSource ? nextSource() : source, pos, new ConnectHeaders().add(OLDKEY_HEADER, oldKey, s.keySchema)));
    return out;
  }

  /** `before` is null when the table's replica identity is NOTHING. */
  delete(table: TableInfo, before: TupleValue[] | null, source: SourceInfo, pos: RecordPosition): SourceRecord[] {
    if (this.skipped.has('d')) return [];
    const del = this.deferredRecord(table, 'd', before, null, source, pos);
    return this.tombstones ? [del, tombstoneOf(del)] : [del];
  }

  /** One event per truncated table, with no key. */
  truncate(table: TableInfo, source: SourceInfo, pos: RecordPosition): SourceRecord[] {
    if (this.skipped.has('t')) return [];
    const s = this.tableSchemas(table);
    const value = Struct.fromValues(s.envelopeSchema, this.envelopeValues(null, null, this.sourceStruct(source, table.schema, table.name), source.transaction ?? null, 't', this.clockUs()));
    return [new SourceRecord({ sourcePartition: pos.sourcePartition, sourceOffset: pos.sourceOffset, topic: s.topic, keySchema: null, key: null, valueSchema: s.envelopeSchema, value, headers: this.headersAfter() })];
  }

  /** A logical decoding message (pg_logical_emit_message) on `<prefix>.message`. */
  message(msg: { transactional: boolean; prefix: string; content: Uint8Array }, source: SourceInfo, pos: RecordPosition): SourceRecord {
    const schemas = this.messageSchemaSet();
    const content = binaryContent(msg.content, this.opts.modes.binary);
    const block = new Struct(schemas.block).put('prefix', msg.prefix).put('content', content);
    const src = this.sourceStruct(msg.transactional ? source : { ...source, txId: null }, '', '');
    const value = new Struct(schemas.value).put('op', 'm').put('ts_ms', Math.floor(this.clockUs() / 1000)).put('source', src).put('message', block);
    const tx = source.transaction;
    if (tx) value.put('transaction', transactionBlock(tx));
    return new SourceRecord({
      sourcePartition: pos.sourcePartition, sourceOffset: pos.sourceOffset, topic: `${this.opts.topicPrefix}.message`,
      keySchema: schemas.key, key: new Struct(schemas.key).put('prefix', msg.prefix),
      valueSchema: schemas.value, value,
    });
  }

  private changeRecord(
    table: TableInfo, op: 'c' | 'u' | 'd' | 'r', before: unknown[] | null, after: unknown[] | null,
    source: SourceInfo, pos: RecordPosition, keyHeader?: ConnectHeaders,
  ): SourceRecord {
    const s = this.tableSchemas(table);
    const headers = this.headersAfter(keyHeader);
    const keyRow = after ?? before;
    const key = keyRow ? this.key(s, keyRow) : null;
    const value = Struct.fromValues(s.envelopeSchema, this.envelopeValues(before && this.valueStruct(s, before), after && this.valueStruct(s, after), this.sourceStruct(source, table.schema, table.name), source.transaction ?? null, op, this.clockUs()));
    return new SourceRecord({ sourcePartition: pos.sourcePartition, sourceOffset: pos.sourceOffset, topic: s.topic, keySchema: s.keySchema, key, valueSchema: s.envelopeSchema, value, headers });
  }

  /**
   * A c/u/d/r event whose value is built only if something reads it (ChangeEvent). The key is built
   * now: `key` when the caller has it, else from the row (the old one for a delete).
   */
  private deferredRecord(
    table: TableInfo, op: 'c' | 'u' | 'd' | 'r', before: TupleValue[] | null, after: TupleValue[] | null,
    source: SourceInfo, pos: RecordPosition, key?: Struct | null,
  ): SourceRecord {
    const s = this.tableSchemas(table);
    const k = key !== undefined ? key : after ? this.tupleKey(s, after, before) : before ? this.tupleKey(s, before, null) : null;
    const value = Struct.deferred(s.envelopeSchema, new ChangeEvent(this, table, s, op, before, after, source, this.clockUs()));
    return new SourceRecord({ sourcePartition: pos.sourcePartition, sourceOffset: pos.sourceOffset, topic: s.topic, keySchema: s.keySchema, key: k, valueSchema: s.envelopeSchema, value, headers: this.headersAfter() });
  }

  /** A ChangeEvent's envelope values, built as changeRecord builds them. */
  eventValues(e: ChangeEvent): unknown[] {
    const s = e.s;
    const oldValues = e.before ? this.rowValues(e.table, e.before, null) : null;
    const newValues = e.after ? this.rowValues(e.table, e.after, e.before) : null;
    return this.envelopeValues(
      oldValues && this.valueStruct(s, oldValues), newValues && this.valueStruct(s, newValues),
      this.sourceStruct(e.source, e.table.schema, e.table.name), e.source.transaction ?? null, e.op, e.nowUs,
    );
  }

  /** A ChangeEvent's JSON from its tuples in `dialect`; false when this envelope is not written that way. */
  writeEventJson(e: ChangeEvent, out: JsonBytesOut, dialect: JsonDialect): boolean {
    const s = e.s;
    let writer = s.jsonWriters.get(dialect);
    if (writer === undefined) {
      const sample = this.sourceValues(e.source, e.table.schema, e.table.name);
      const fixed = new Map(FIXED_SOURCE_FIELDS.map((name) => this.sourceSchema.field(name)!.index).map((i) => [i, sample[i]]));
      writer = EventJsonWriter.compile(dialect, s.envelopeSchema, s.eventColumns, fixed);
      s.jsonWriters.set(dialect, writer);
    }
    if (writer === null) return false;
    const tx = e.source.transaction;
    writer.write(out, e.op, e.before, e.after, this.sourceValues(e.source, e.table.schema, e.table.name), tx ? transactionBlock(tx) : null, e.nowUs);
    return true;
  }

  /** Field order of buildTableSchemas' envelope: before, after, source, transaction, op, ts_ms, ts_us, ts_ns. */
  private envelopeValues(before: Struct | null, after: Struct | null, source: Struct, tx: SourceInfo['transaction'] | null, op: string, nowUs: number): unknown[] {
    // Numbers where they are exact (µs since the epoch are); only nanoseconds need a bigint.
    return [before, after, source, tx ? transactionBlock(tx) : null, op, Math.floor(nowUs / 1000), nowUs, BigInt(nowUs) * 1000n];
  }

  /** The key of a tuple (`old`: the tuple before it, for unchanged TOAST), as key() gives it from rowValues, without the other columns. */
  private tupleKey(s: TableSchemas, tuple: TupleValue[], old: TupleValue[] | null): Struct | null {
    if (!s.keySchema) return null;
    const columns = s.keyColumns;
    const fields = new Array<unknown>(columns.length);
    for (let i = 0; i < columns.length; i++) fields[i] = columnValue(tuple, columns[i]!.index, columns[i]!.converter, old);
    return Struct.fromValues(s.keySchema, fields);
  }

  /** Converted values of every tuple position; unchanged TOAST takes the old tuple's value, else the placeholder. */
  private rowValues(table: TableInfo, tuple: TupleValue[], old: TupleValue[] | null): unknown[] {
    const s = this.tableSchemas(table);
    const values: unknown[] = new Array(table.columns.length).fill(null);
    for (const { index, converter } of s.decoded) values[index] = columnValue(tuple, index, converter, old);
    return values;
  }

  /** Structs are built from values in field order (the schemas were built from these same lists). */
  private valueStruct(s: TableSchemas, values: unknown[]): Struct {
    const columns = s.columns;
    const fields = new Array<unknown>(columns.length);
    for (let i = 0; i < columns.length; i++) fields[i] = values[columns[i]!.index];
    // Mapped after the key took its values: Debezium masks the value's fields, never the key's.
    for (const m of s.mapped) fields[m.field] = m.map(fields[m.field]);
    return Struct.fromValues(s.valueSchema, fields);
  }

  private key(s: TableSchemas, values: unknown[]): Struct | null {
    if (!s.keySchema) return null;
    const columns = s.keyColumns;
    const fields = new Array<unknown>(columns.length);
    for (let i = 0; i < columns.length; i++) fields[i] = values[columns[i]!.index];
    return Struct.fromValues(s.keySchema, fields);
  }

  private sourceStruct(source: SourceInfo, schema: string, table: string): Struct {
    return Struct.fromValues(this.sourceSchema, this.sourceValues(source, schema, table));
  }

  private sourceValues(source: SourceInfo, schema: string, table: string): unknown[] {
    const ts = source.tsUs;
    const streamed = source.snapshot !== 'incremental';
    // Field order of buildSourceSchema. Debezium leaves `snapshot` unset for streaming; the
    // schema default ("false") fills it.
    if (ts !== this.lastSourceTs) {
      this.lastSourceTs = ts;
      this.lastSourceFields = [toNumber(floorDiv(ts, 1000n)), toNumber(ts), toNumber(ts * 1000n)];
    }
    const [tsMs, tsUs, tsNs] = this.lastSourceFields;
    const values: unknown[] = [
      this.opts.connectorVersion, 'postgresql', this.opts.topicPrefix, tsMs,
      source.snapshot !== 'false' ? source.snapshot : null, this.opts.database,
      sequenceText(source.lsnCommit, source.lsn), tsUs, tsNs, schema, table,
      streamed && source.txId !== null && source.txId !== undefined ? int64(source.txId) : null,
      streamed && source.lsn !== null && source.lsn !== undefined ? toNumber(source.lsn) : null,
      streamed && source.xmin !== null && source.xmin !== undefined ? int64(source.xmin) : null,
    ];
    if (this.withOrigin) values.push(source.origin || null, source.originLsn !== null && source.originLsn !== undefined ? toNumber(source.originLsn) : null);
    return values;
  }

  private buildSourceSchema(): Schema {
    const snapshot = SchemaBuilder.string().name('io.debezium.data.Enum').version(1)
      .parameter('allowed', SNAPSHOT_VALUES.join(',')).defaultValue('false').optional().build();
    const b = SchemaBuilder.struct().name('io.debezium.connector.postgresql.Source').version(1)
      .field('version', Schemas.STRING).field('connector', Schemas.STRING).field('name', Schemas.STRING)
      .field('ts_ms', Schemas.INT64).field('snapshot', snapshot).field('db', Schemas.STRING)
      .field('sequence', Schemas.OPTIONAL_STRING).field('ts_us', Schemas.OPTIONAL_INT64).field('ts_ns', Schemas.OPTIONAL_INT64)
      .field('schema', Schemas.STRING).field('table', Schemas.STRING)
      .field('txId', Schemas.OPTIONAL_INT64).field('lsn', Schemas.OPTIONAL_INT64).field('xmin', Schemas.OPTIONAL_INT64);
    if (this.withOrigin) b.field('origin', Schemas.OPTIONAL_STRING).field('origin_lsn', Schemas.OPTIONAL_INT64);
    return b.build();
  }

  private buildTableSchemas(table: TableInfo): TableSchemas {
    // The topic, and the schema names with it, as Debezium's naming strategy sanitizes them.
    const prefix = sanitizedTopicName(`${this.opts.topicPrefix}.${table.schema}.${table.name}`);
    const include = this.opts.includeUnknownDatatypes ?? false;
    const readable = table.columns
      .map((column, index) => ({ column, index, converter: columnConverter(column.type, this.opts.modes) }))
      .filter(({ column }) => includesColumn(column.type, include));
    const columns = readable.filter(({ column }) => !column.excluded);
    const keyOrder = table.keyColumns ?? table.columns.filter((c) => c.key).map((c) => c.name);
    // Key columns stay in the key even when the column filters leave them out of the value.
    const keyColumns = keyOrder
      .map((name) => readable.find((c) => c.column.name === name))
      .filter((c): c is NonNullable<typeof c> => c !== undefined);

    const value = SchemaBuilder.struct().name(`${prefix}.Value`);
    const mappers = this.opts.columnMappers;
    const mapped: TableSchemas['mapped'] = [];
    columns.forEach(({ column, converter }, field) => {
      const m = mappers && !mappers.empty ? mappers.mappingFor(table.schema, table.name, column, converter.schema) : null;
      value.field(column.name, m ? m.schema : converter.schema);
      if (m?.map) mapped.push({ field, map: m.map });
    });
    const valueSchema = value.optional().build();
    let keySchema: Schema | null = null;
    if (keyColumns.length > 0) {
      const key = SchemaBuilder.struct().name(`${prefix}.Key`);
      for (const { column, converter } of keyColumns) key.field(column.name, converter.schema);
      keySchema = key.build();
    }
    const envelopeSchema = SchemaBuilder.struct().name(`${prefix}.Envelope`).version(2)
      .field('before', valueSchema).field('after', valueSchema).field('source', this.sourceSchema)
      .field('transaction', TRANSACTION_SCHEMA).field('op', Schemas.STRING)
      .field('ts_ms', Schemas.OPTIONAL_INT64).field('ts_us', Schemas.OPTIONAL_INT64).field('ts_ns', Schemas.OPTIONAL_INT64)
      .build();
    const decoded = readable.filter((c) => !c.column.excluded || keyColumns.includes(c));
    const eventColumns = columns.map(({ index, converter }, field) => ({ index, converter, map: mapped.find((m) => m.field === field)?.map }));
    return { topic: prefix, keySchema, valueSchema, envelopeSchema, columns, keyColumns, decoded, mapped, eventColumns, jsonWriters: new WeakMap() };
  }

  private messageSchemaSet(): { key: Schema; value: Schema; block: Schema } {
    if (!this.messageSchemas) {
      const key = SchemaBuilder.struct().name('io.debezium.connector.postgresql.MessageKey').version(1).field('prefix', Schemas.OPTIONAL_STRING).build();
      const content = this.opts.modes.binary === 'bytes' ? Schemas.OPTIONAL_BYTES : Schemas.OPTIONAL_STRING;
      const block = SchemaBuilder.struct().name('io.debezium.connector.postgresql.Message').version(1)
        .field('prefix', Schemas.OPTIONAL_STRING).field('content', content).build();
      const value = SchemaBuilder.struct().name('io.debezium.connector.postgresql.MessageValue').version(1)
        .field('op', Schemas.STRING).field('ts_ms', Schemas.OPTIONAL_INT64).field('source', this.sourceSchema)
        .field('transaction', TRANSACTION_SCHEMA).field('message', block).build();
      this.messageSchemas = { key, value, block };
    }
    return this.messageSchemas;
  }
}

const MAX_TOPIC_NAME = 249;
const warnedTopics = new Set<string>();

/**
 * A topic name Kafka accepts, made as Debezium makes it: each character outside [a-zA-Z0-9._-]
 * becomes '_' (a table "Order Items" writes to <prefix>.public.Order_Items), cut at 249 characters,
 * with a warning naming both.
 */
export function sanitizedTopicName(name: string): string {
  let out = name.replace(/[^a-zA-Z0-9._-]/g, '_');
  if (out.length > MAX_TOPIC_NAME) out = out.slice(0, MAX_TOPIC_NAME);
  else if (out === '.' || out === '..') out = out.replace(/\./g, '_');
  if (out !== name && !warnedTopics.has(name)) {
    warnedTopics.add(name);
    log.warn(`Topic '${name}' name isn't a valid topic name, replacing it with '${out}'.`);
  }
  return out;
}

function transactionBlock(tx: NonNullable<SourceInfo['transaction']>): Struct {
  return Struct.fromValues(TRANSACTION_SCHEMA, [tx.id, tx.totalOrder, tx.dataCollectionOrder]);
}

/** The tombstone Debezium sends after a delete: same key and headers, null value and value schema. */
function tombstoneOf(del: SourceRecord): SourceRecord {
  return del.newRecord({ valueSchema: null, value: null });
}

function binaryContent(bytes: Uint8Array, mode: TypeModes['binary']): Uint8Array | string {
  const b = Buffer.from(bytes);
  switch (mode) {
    case 'bytes': return bytes;
    case 'base64': return b.toString('base64');
    case 'base64-url-safe': return b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    case 'hex': return b.toString('hex');
  }
}

/** Debezium's `sequence`: `["<last commit LSN>","<this LSN>"]`, either null when unknown. */
function sequenceText(commit: bigint | null | undefined, lsn: bigint | null | undefined): string {
  const a = commit === null || commit === undefined ? 'null' : `"${commit}"`;
  const b = lsn === null || lsn === undefined ? 'null' : `"${lsn}"`;
  return `[${a},${b}]`;
}

/** An int64 field from a number or bigint: a number when exact. */
function int64(v: number | bigint): number | bigint {
  return typeof v === 'number' ? v : toNumber(v);
}

/** Wall clock µs minus the monotonic clock's µs, re-read when the two drift apart (NTP, clock changes). */
let clockOffsetUs = Date.now() * 1000 - performance.now() * 1000;

/**
 * µs since the epoch, as Debezium's envelope `ts_us` has them (Date.now() alone would end in 000):
 * the monotonic clock's sub-ms part, kept within the wall clock's current millisecond.
 */
function microsecondClock(): number {
  const mono = performance.now() * 1000;
  const wall = Date.now() * 1000;
  let us = Math.floor(mono + clockOffsetUs);
  if (us < wall || us >= wall + 1000) {
    clockOffsetUs = wall - mono;
    us = wall;
  }
  return us;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function toNumber(v: bigint): number | bigint {
  return v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : v;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [maj, min] = [Number(m[1]), Number(m[2])];
  return maj > major || (maj === major && min >= minor);
}

// Versions and the optional collection struct as Debezium 3.6.1 writes them (bench/debezium).
const TX_KEY_SCHEMA = SchemaBuilder.struct().name('io.debezium.connector.common.TransactionMetadataKey').version(1).field('id', Schemas.STRING).build();
const TX_COLLECTION_SCHEMA = SchemaBuilder.struct().name('event.collection').version(1).optional()
  .field('data_collection', Schemas.STRING).field('event_count', Schemas.INT64).build();
const TX_VALUE_SCHEMA = SchemaBuilder.struct().name('io.debezium.connector.common.TransactionMetadataValue').version(1)
  .field('status', Schemas.STRING).field('id', Schemas.STRING)
  .field('event_count', Schemas.OPTIONAL_INT64)
  .field('data_collections', SchemaBuilder.array(TX_COLLECTION_SCHEMA).optional().build())
  .field('ts_ms', Schemas.INT64).build();

/**
 * Debezium's transaction boundary events (provide.transaction.metadata) on `topic`
 * (`<prefix>.<topic.transaction>`): BEGIN before a transaction's first event, END after its last
 * with the event count per table.
 */
export function transactionRecord(
  topic: string, status: 'BEGIN' | 'END', id: string, tsMs: number,
  counts: Map<string, number> | null, pos: RecordPosition,
): SourceRecord {
  const value = new Struct(TX_VALUE_SCHEMA).put('status', status).put('id', id).put('ts_ms', tsMs);
  if (counts) {
    value.put('event_count', [...counts.values()].reduce((a, b) => a + b, 0));
    value.put('data_collections', [...counts].map(([table, n]) => new Struct(TX_COLLECTION_SCHEMA).put('data_collection', table).put('event_count', n)));
  }
  return new SourceRecord({
    sourcePartition: pos.sourcePartition,
    sourceOffset: pos.sourceOffset,
    topic,
    keySchema: TX_KEY_SCHEMA,
    key: new Struct(TX_KEY_SCHEMA).put('id', id),
    valueSchema: TX_VALUE_SCHEMA,
    value,
  });
}
