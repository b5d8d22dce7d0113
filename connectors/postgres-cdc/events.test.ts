import { describe, expect, it } from 'vitest';
import { JsonConverter } from '../../runtime/converters/json-converter.js';
import { Struct, type Schema } from '../../runtime/api/index.js';
import { EventBuilder, NEWKEY_HEADER, OLDKEY_HEADER, type SourceInfo, type TableInfo, type TupleValue } from './events.js';
import { DEFAULT_TYPE_MODES } from './types/index.js';
import { ColumnMappers } from './column-mappers.js';

const json = new JsonConverter();
json.configure({}, false);

function toJson(schema: Schema | null, value: unknown): any {
  const bytes = json.fromConnectData('events-test', null, schema, value);
  return bytes === null ? null : JSON.parse(Buffer.from(bytes).toString('utf8'));
}

const customers: TableInfo = {
  schema: 'inventory',
  name: 'customers',
  columns: [
    { name: 'id', key: true, type: { name: 'int4', oid: 23, typeMod: -1, optional: false } },
    { name: 'first_name', key: false, type: { name: 'varchar', oid: 1043, typeMod: 259, optional: false } },
    { name: 'bio', key: false, type: { name: 'text', oid: 25, typeMod: -1, optional: true } },
  ],
};

const noKey: TableInfo = { schema: 'public', name: 'log', columns: [{ name: 'line', key: false, type: { name: 'text', oid: 25, typeMod: -1, optional: true } }] };

const source: SourceInfo = { lsn: 24023128n, lsnCommit: 24023119n, txId: 555, tsUs: 1559033904863123n, snapshot: 'false' };
const pos = { sourcePartition: { server: 'PostgreSQL_server' }, sourceOffset: { lsn: 24023128 } };

function builder(extra: Partial<ConstructorParameters<typeof EventBuilder>[0]> = {}): EventBuilder {
  return new EventBuilder({
    topicPrefix: 'PostgreSQL_server', database: 'postgres', modes: DEFAULT_TYPE_MODES, connectorVersion: '3.1.0.Final',
    clockUs: () => 1559033904863841, ...extra,
  });
}

const t = (text: string): TupleValue => ({ kind: 'text', text });
const NULL: TupleValue = { kind: 'null' };
const TOAST: TupleValue = { kind: 'unchanged-toast' };

describe('change event envelope', () => {
  it('topic, key and value schemas with Debezium names, field order and optionality', () => {
    const [rec] = builder().create(customers, [t('1'), t('Anne'), NULL], source, pos);
    expect(rec!.topic).toBe('PostgreSQL_server.inventory.customers');
    expect(toJson(rec!.keySchema, rec!.key)).toEqual({
      schema: { type: 'struct', fields: [{ type: 'int32', optional: false, field: 'id' }], optional: false, name: 'PostgreSQL_server.inventory.customers.Key' },
      payload: { id: 1 },
    });
    const value = toJson(rec!.valueSchema, rec!.value);
    expect(value.schema.name).toBe('PostgreSQL_server.inventory.customers.Envelope');
    expect(value.schema.version).toBe(2);
    expect(value.schema.optional).toBe(false);
    expect(value.schema.fields.map((f: any) => [f.field, f.optional])).toEqual([
      ['before', true], ['after', true], ['source', false], ['transaction', true], ['op', false], ['ts_ms', true], ['ts_us', true], ['ts_ns', true],
    ]);
    expect(value.schema.fields[0].name).toBe('PostgreSQL_server.inventory.customers.Value');
    expect(value.schema.fields[3]).toEqual({
      type: 'struct',
      fields: [{ type: 'string', optional: false, field: 'id' }, { type: 'int64', optional: false, field: 'total_order' }, { type: 'int64', optional: false, field: 'data_collection_order' }],
      optional: true, name: 'event.block', version: 1, field: 'transaction',
    });
    const src = value.schema.fields[2];
    expect(src.name).toBe('io.debezium.connector.postgresql.Source');
    expect(src.fields.map((f: any) => [f.field, f.type, f.optional])).toEqual([
      ['version', 'string', false], ['connector', 'string', false], ['name', 'string', false], ['ts_ms', 'int64', false],
      ['snapshot', 'string', true], ['db', 'string', false], ['sequence', 'string', true], ['ts_us', 'int64', true], ['ts_ns', 'int64', true],
      ['schema', 'string', false], ['table', 'string', false], ['txId', 'int64', true], ['lsn', 'int64', true], ['xmin', 'int64', true],
    ]);
    expect(src.fields[4]).toEqual({
      type: 'string', optional: true, default: 'false', name: 'io.debezium.data.Enum', version: 1,
      parameters: { allowed: 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental' }, field: 'snapshot',
    });
  });

  it('create payload as the docs example has it', () => {
    const [rec] = builder().create(customers, [t('1'), t('Anne'), NULL], source, pos);
    expect(toJson(rec!.valueSchema, rec!.value).payload).toEqual({
      before: null,
      after: { id: 1, first_name: 'Anne', bio: null },
      source: {
        version: '3.1.0.Final', connector: 'postgresql', name: 'PostgreSQL_server', ts_ms: 1559033904863, snapshot: 'false', db: 'postgres',
        sequence: '["24023119","24023128"]', ts_us: 1559033904863123, ts_ns: 1559033904863123000, schema: 'inventory', table: 'customers',
        txId: 555, lsn: 24023128, xmin: null,
      },
      transaction: null, op: 'c', ts_ms: 1559033904863, ts_us: 1559033904863841, ts_ns: 1559033904863841000,
    });
    expect(rec!.sourcePartition).toEqual(pos.sourcePartition);
    expect(rec!.sourceOffset).toEqual(pos.sourceOffset);
  });

  it('snapshot reads carry op r and the snapshot marker', () => {
    const [rec] = builder().read(customers, [t('1'), t('Anne'), NULL], { ...source, snapshot: 'last' }, pos);
    const payload = toJson(rec!.valueSchema, rec!.value).payload;
    expect(payload.op).toBe('r');
    expect(payload.source.snapshot).toBe('last');
  });

  it('Debezium 3.5+ adds origin and origin_lsn to the source block', () => {
    const b = builder({ connectorVersion: '3.5.0.Final' });
    expect(b.sourceSchema.fields().map((f) => f.name).slice(-2)).toEqual(['origin', 'origin_lsn']);
  });
});

describe('deletes, updates and key changes', () => {
  it('a delete is followed by a tombstone with the same key', () => {
    const recs = builder().delete(customers, [t('1'), NULL, NULL], source, pos);
    expect(recs).toHaveLength(2);
    const payload = toJson(recs[0]!.valueSchema, recs[0]!.value).payload;
    expect(payload.op).toBe('d');
    // Key-only old tuple: required columns get Debezium's fallback, optional ones null.
    expect(payload.before).toEqual({ id: 1, first_name: '', bio: null });
    expect(payload.after).toBeNull();
    expect(recs[1]!.value).toBeNull();
    expect(recs[1]!.valueSchema).toBeNull();
    expect((recs[1]!.key as Struct).equals(recs[0]!.key)).toBe(true);
    expect(toJson(recs[1]!.valueSchema, recs[1]!.value)).toBeNull();
  });

  it('tombstones.on.delete=false sends the delete alone', () => {
    expect(builder({ tombstonesOnDelete: false }).delete(customers, [t('1'), NULL, NULL], source, pos)).toHaveLength(1);
  });

  it('an update without an old tuple has a null before', () => {
    const [rec] = builder().update(customers, null, [t('1'), t('Anne Marie'), NULL], source, pos);
    const payload = toJson(rec!.valueSchema, rec!.value).payload;
    expect(payload.op).toBe('u');
    expect(payload.before).toBeNull();
    expect(payload.after.first_name).toBe('Anne Marie');
  });

  it('a primary key change is delete + tombstone + create with newkey/oldkey headers', () => {
    const recs = builder().update(customers, [t('1'), NULL, NULL], [t('2'), t('Anne'), NULL], source, pos);
    expect(recs.map((r) => (r.value ? (r.value as Struct).get('op') : null))).toEqual(['d', null, 'c']);
    const newKey = recs[0]!.headers.lastWithName(NEWKEY_HEADER)!;
    expect((newKey.value as Struct).get('id')).toBe(2);
    expect(newKey.schema).toBe(recs[2]!.keySchema);
    expect((recs[0]!.key as Struct).get('id')).toBe(1);
    expect(recs[1]!.headers.lastWithName(NEWKEY_HEADER)).not.toBeNull();
    const oldKey = recs[2]!.headers.lastWithName(OLDKEY_HEADER)!;
    expect((oldKey.value as Struct).get('id')).toBe(1);
    expect((recs[2]!.key as Struct).get('id')).toBe(2);
  });

  it('unchanged TOAST: the old value when the old tuple has it, else the placeholder', () => {
    const [noOld] = builder().update(customers, null, [t('1'), t('Anne'), TOAST], source, pos);
    expect(((noOld!.value as Struct).get('after') as Struct).get('bio')).toBe('__debezium_unavailable_value');
    const [full] = builder().update(customers, [t('1'), t('Anne'), t('long text')], [t('1'), t('Ann'), TOAST], source, pos);
    expect(((full!.value as Struct).get('after') as Struct).get('bio')).toBe('long text');
  });

  it('a table without a key has null key and key schema', () => {
    const [rec] = builder().create(noKey, [t('x')], source, pos);
    expect(rec!.key).toBeNull();
    expect(rec!.keySchema).toBeNull();
  });

  it('key columns follow keyColumns order when given', () => {
    const table: TableInfo = {
      schema: 'public', name: 'pair', keyColumns: ['b', 'a'],
      columns: [
        { name: 'a', key: true, type: { name: 'int4', oid: 23, typeMod: -1, optional: false } },
        { name: 'b', key: true, type: { name: 'int4', oid: 23, typeMod: -1, optional: false } },
      ],
    };
    const [rec] = builder().create(table, [t('1'), t('2')], source, pos);
    expect(rec!.keySchema!.fields().map((f) => f.name)).toEqual(['b', 'a']);
  });
});

describe('truncate, skipped operations and messages', () => {
  it('truncate: op t, no key, no before/after (when not skipped)', () => {
    expect(builder().truncate(customers, source, pos)).toEqual([]);
    const [rec] = builder({ skippedOps: [] }).truncate(customers, source, pos);
    expect(rec!.key).toBeNull();
    expect(rec!.keySchema).toBeNull();
    const payload = toJson(rec!.valueSchema, rec!.value).payload;
    expect(payload.op).toBe('t');
    expect(payload.before).toBeNull();
    expect(payload.after).toBeNull();
    expect(payload.source.table).toBe('customers');
  });

  it('skipped.operations drops those events', () => {
    const b = builder({ skippedOps: ['c', 'u', 'd'] });
    expect(b.create(customers, [t('1'), t('a'), NULL], source, pos)).toEqual([]);
    expect(b.update(customers, null, [t('1'), t('a'), NULL], source, pos)).toEqual([]);
    expect(b.delete(customers, [t('1'), NULL, NULL], source, pos)).toEqual([]);
  });

  it('logical decoding messages on <prefix>.message', () => {
    const rec = builder().message({ transactional: false, prefix: 'foo', content: Buffer.from('bar') }, { ...source, txId: 556 }, pos);
    expect(rec.topic).toBe('PostgreSQL_server.message');
    const key = toJson(rec.keySchema, rec.key);
    expect(key).toEqual({
      schema: { type: 'struct', fields: [{ type: 'string', optional: true, field: 'prefix' }], optional: false, name: 'io.debezium.connector.postgresql.MessageKey', version: 1 },
      payload: { prefix: 'foo' },
    });
    const value = toJson(rec.valueSchema, rec.value);
    expect(value.schema.name).toBe('io.debezium.connector.postgresql.MessageValue');
    expect(value.schema.fields.map((f: any) => f.field)).toEqual(['op', 'ts_ms', 'source', 'transaction', 'message']);
    expect(value.payload.op).toBe('m');
    expect(value.payload.message).toEqual({ prefix: 'foo', content: 'YmFy' });
    expect(value.payload.source.schema).toBe('');
    expect(value.payload.source.txId).toBeNull();
  });
});

describe('events written straight to JSON (event-json.ts)', () => {
  const numeric: TableInfo = {
    schema: 'public', name: 'priced',
    columns: [
      { name: 'id', key: true, type: { name: 'int8', oid: 20, typeMod: -1, optional: false } },
      { name: 'price', key: false, type: { name: 'numeric', oid: 1700, typeMod: (10 << 16) + 2 + 4, optional: true } },
      { name: 'email', key: false, type: { name: 'varchar', oid: 1043, typeMod: -1, optional: true } },
      { name: 'at', key: false, type: { name: 'timestamptz', oid: 1184, typeMod: -1, optional: true } },
      { name: 'note', key: false, type: { name: 'text', oid: 25, typeMod: -1, optional: true } },
    ],
  };
  const configs: Array<Record<string, string>> = [{}, { 'schemas.enable': 'false' }, { 'decimal.format': 'NUMERIC' }, { 'replace.null.with.default': 'false' }];
  const converters = configs.map((config) => {
    const c = new JsonConverter();
    c.configure(config, false);
    return c;
  });
  const withTx: SourceInfo = { ...source, transaction: { id: '555:24023128', totalOrder: 3, dataCollectionOrder: 2 } };
  const mappers = ColumnMappers.fromConfig({ 'column.mask.with.4.chars': 'public\\.priced\\.email', 'column.truncate.to.3.chars': 'public\\.priced\\.note' });

  it('gives every converter the bytes of the built event, without building it', () => {
    const b = builder();
    const masked = builder({ columnMappers: mappers });
    const row = [t('7'), t('12.50'), t('a@b.c'), t('2024-02-29 23:59:59.123456+00'), t('a long note')];
    const events = [
      ...b.create(numeric, row, source, pos),
      ...b.create(numeric, [t('8'), NULL, NULL, NULL, NULL], withTx, pos),
      ...b.read(numeric, row, { ...source, snapshot: 'last' }, pos),
      ...b.update(numeric, null, [t('7'), t('13'), t('x@y.z'), NULL, TOAST], source, pos),
      ...b.update(numeric, row, [t('7'), t('13'), NULL, NULL, TOAST], withTx, pos),
      ...b.delete(numeric, row, source, pos),
      ...b.delete(noKey, null as unknown as TupleValue[], source, pos),
      ...masked.create(numeric, row, source, pos),
      ...masked.update(numeric, row, [t('7'), t('1'), t('q@r.s'), NULL, TOAST], source, pos),
    ].filter((r) => r.value !== null);
    expect(events).toHaveLength(9);
    for (const r of events) {
      const value = r.value as Struct;
      const source = value.source!;
      expect(source, `${r.topic} is deferred`).not.toBeNull();
      const built = Struct.fromValues(value.schema, source.values());
      for (const c of converters) {
        const own = Buffer.from(c.fromConnectData(r.topic, null, r.valueSchema, value)!).toString();
        expect(own).toBe(Buffer.from(c.fromConnectData(r.topic, null, r.valueSchema, built)!).toString());
      }
      // Converting did not build it; reading it does.
      expect(value.source).toBe(source);
      expect(value.get('op')).toBe(built.get('op'));
      expect(value.source).toBeNull();
    }
    const maskedAfter = JSON.parse(Buffer.from(converters[1]!.fromConnectData('t', null, events[7]!.valueSchema, events[7]!.value)!).toString()).after;
    expect(maskedAfter).toMatchObject({ email: '****', note: 'a l' });
  });
});
