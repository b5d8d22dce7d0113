/**
 * io.debezium.transforms.ExtractNewRecordState: turns a Debezium change event into the row it left
 * behind (`after`), with optional metadata fields and headers, and Debezium's handling of deletes,
 * tombstones and truncates. Records that are not change events pass through untouched.
 */
import {
  ConfigSpec, ConnectHeaders, SchemaBuilder, Schemas, Struct, Validators,
  type AnyRecord, type ConnectRecordFields, type Header, type Schema, type Transformation,
} from '../../../runtime/api/index.js';

type DeleteTombstoneMode = 'drop' | 'tombstone' | 'rewrite' | 'rewrite-with-tombstone' | 'delete-to-tombstone';

export const EXTRACT_NEW_RECORD_STATE_CONFIG = new ConfigSpec()
  .define({
    name: 'delete.tombstone.handling.mode', type: 'string', default: null, importance: 'medium',
    validator: Validators.oneOfIgnoreCase('drop', 'tombstone', 'rewrite', 'rewrite-with-tombstone', 'delete-to-tombstone'),
    doc: 'How to handle delete records: drop, tombstone (the default), rewrite (adds __deleted), rewrite-with-tombstone, delete-to-tombstone.',
  })
  .define({ name: 'delete.handling.mode', type: 'string', default: null, importance: 'medium', validator: Validators.oneOfIgnoreCase('drop', 'rewrite', 'none'), doc: 'Deprecated: drop, rewrite or none. Used only without delete.tombstone.handling.mode.' })
  .define({ name: 'drop.tombstones', type: 'boolean', default: null, importance: 'low', doc: 'Deprecated: drop tombstones (true). Used only without delete.tombstone.handling.mode.' })
  .define({ name: 'route.by.field', type: 'string', default: '', importance: 'low', doc: 'The column whose value replaces the topic name.' })
  .define({ name: 'add.fields.prefix', type: 'string', default: '__', importance: 'low', doc: 'Adds this prefix to each field listed.' })
  .define({ name: 'add.fields', type: 'list', default: [], importance: 'low', doc: "Fields of the envelope to add to the value, e.g. 'op,table,lsn,source.ts_ms'; 'name:NEW' renames." })
  .define({ name: 'add.headers.prefix', type: 'string', default: '__', importance: 'low', doc: 'Adds this prefix to each header listed.' })
  .define({ name: 'add.headers', type: 'list', default: [], importance: 'low', doc: 'Fields of the envelope to add as headers, named as add.fields names them.' })
  .define({ name: 'replace.null.with.default', type: 'boolean', default: true, importance: 'low', doc: 'Replace null field values with their schema default when rewriting.' })
  .define({ name: 'drop.fields.header.name', type: 'string', default: '', importance: 'low', doc: 'The header whose list of field names is removed from the value (ExtractChangedRecordState makes such headers).' })
  .define({ name: 'drop.fields.from.key', type: 'boolean', default: false, importance: 'low', doc: 'Remove those fields from the key too.' })
  .define({ name: 'drop.fields.keep.schema.compatible', type: 'boolean', default: true, importance: 'low', doc: 'true: only optional fields are removed, so schemas stay compatible; false: every listed field.' });

const DELETED_FIELD = '__deleted';

/** One `add.fields`/`add.headers` entry: where the value lives in the envelope and the name it gets. */
class FieldReference {
  readonly struct: string | null;
  readonly field: string;
  readonly newField: string;

  constructor(prefix: string, spec: string) {
    const [path, rename, extra] = spec.split(':');
    if (extra !== undefined) throw new Error(`Unexpected field name: ${spec}`);
    const parts = path!.split('.');
    this.field = parts.length === 1 ? parts[0]! : parts[1]!;
    this.struct = parts.length === 1 ? FieldReference.structOf(this.field) : parts[0]!;
    this.newField = prefix + (rename ?? (parts.length === 1 ? this.field : `${this.struct}_${this.field}`));
  }

  private static structOf(field: string): string | null {
    if (field === 'id' || field === 'total_order' || field === 'data_collection_order') return 'transaction';
    if (field === 'op' || field === 'ts_ms' || field === 'ts_us' || field === 'ts_ns') return null;
    return 'source';
  }

  /** The field's schema made optional (name, version, doc, parameters kept), or null when the envelope has no such field. */
  schema(envelope: Schema): Schema | null {
    const parent = this.struct ? envelope.field(this.struct)?.schema ?? null : envelope;
    const found = (parent?.type === 'struct' ? parent.field(this.field) : null) ?? envelope.field(this.field);
    if (!found) return null;
    const s = found.schema;
    const b = new SchemaBuilder(s.type, s.keySchema, s.valueSchema).name(s.name).version(s.version).doc(s.doc);
    if (s.parameters) b.parameters({ ...s.parameters });
    return b.optional().build();
  }

  value(envelope: Struct): unknown {
    const parent = this.struct ? (envelope.getWithoutDefault(this.struct) as Struct | null) : envelope;
    if (!parent) return null;
    return parent.schema.field(this.field) ? parent.getWithoutDefault(this.field) : envelope.schema.field(this.field) ? envelope.getWithoutDefault(this.field) : null;
  }
}

function rebuild<R extends AnyRecord>(record: R, changes: Partial<ConnectRecordFields>): R {
  return (record.newRecord as (c: Partial<ConnectRecordFields>) => R).call(record, changes);
}

/** Kafka's SchemaUtil.copySchemaBasics on a struct: name, version, doc, parameters (not optionality). */
function structLike(schema: Schema): SchemaBuilder {
  const b = SchemaBuilder.struct().name(schema.name).version(schema.version).doc(schema.doc);
  if (schema.parameters) b.parameters({ ...schema.parameters });
  for (const f of schema.fields()) b.field(f.name, f.schema);
  return b;
}

export class ExtractNewRecordState implements Transformation {
  private mode: DeleteTombstoneMode = 'tombstone';
  private legacy: { deletes: 'drop' | 'rewrite' | 'none'; dropTombstones: boolean } | null = null;
  private routeByField: string | null = null;
  private fields: FieldReference[] = [];
  private headers: FieldReference[] = [];
  /** The last delete and the headers added to it: its tombstone, next, carries them too (apply()). */
  private lastDelete: { topic: string; key: unknown; added: Header[] } | null = null;
  private replaceNullWithDefault = true;
  private dropFields: { header: string; fromKey: boolean; onlyOptional: boolean } | null = null;
  private readonly schemaCache = new WeakMap<Schema, Map<string, Schema>>();
  private readonly deletedCache = new WeakMap<Schema, Map<string, Schema>>();
  private readonly droppedCache = new WeakMap<Schema, Map<string, Schema>>();

  config(): ConfigSpec {
    return EXTRACT_NEW_RECORD_STATE_CONFIG;
  }

  configure(configs: Record<string, string>): void {
    const cfg = EXTRACT_NEW_RECORD_STATE_CONFIG.parse(configs, 'ExtractNewRecordState config');
    const mode = cfg.getString('delete.tombstone.handling.mode');
    const legacyDeletes = cfg.getString('delete.handling.mode');
    const legacyTombstones = configs['drop.tombstones'];
    if (mode) {
      this.mode = mode.toLowerCase() as DeleteTombstoneMode;
      this.legacy = null;
    } else if (legacyDeletes !== null || legacyTombstones !== undefined) {
      // Debezium before 3.0 read these two keys; configs written for it keep working.
      this.legacy = {
        deletes: (legacyDeletes ?? 'drop').toLowerCase() as 'drop' | 'rewrite' | 'none',
        dropTombstones: legacyTombstones === undefined ? true : cfg.getBoolean('drop.tombstones'),
      };
    }
    this.routeByField = cfg.getString('route.by.field') || null;
    this.fields = cfg.getList('add.fields').filter((f) => f.trim()).map((f) => new FieldReference(cfg.getString('add.fields.prefix') ?? '', f.trim()));
    this.headers = cfg.getList('add.headers').filter((f) => f.trim()).map((f) => new FieldReference(cfg.getString('add.headers.prefix') ?? '', f.trim()));
    this.replaceNullWithDefault = cfg.getBoolean('replace.null.with.default');
    const dropHeader = cfg.getString('drop.fields.header.name');
    this.dropFields = dropHeader && dropHeader.trim() ? { header: dropHeader, fromKey: cfg.getBoolean('drop.fields.from.key'), onlyOptional: cfg.getBoolean('drop.fields.keep.schema.compatible') } : null;
  }

  apply<R extends AnyRecord>(record: R): R | null {
    const isTombstone = record.value === null;
    const envelope = record.value instanceof Struct && record.valueSchema?.name?.endsWith('.Envelope') ? record.value : null;
    let input = record;
    if ((envelope || isTombstone) && this.headers.length > 0) {
      const added = this.addedHeaders(envelope);
      // Debezium's tombstone shares its delete's header list, to which the transform added headers
      // in place: the tombstone carries the delete's added headers, then its own.
      const inherited = isTombstone && this.lastDelete && this.lastDelete.key === record.key && this.lastDelete.topic === record.topic ? this.lastDelete.added : [];
      this.lastDelete = envelope && envelope.getWithoutDefault('op') === 'd' ? { topic: record.topic, key: record.key, added } : null;
      input = rebuild(record, { headers: new ConnectHeaders([...record.headers, ...inherited, ...added]) });
    }

    if (isTombstone) return this.keepTombstone() ? input : null;
    if (!envelope) return input;

    const envelopeSchema = envelope.schema;
    const after = envelope.getWithoutDefault('after') as Struct | null;
    const before = envelope.getWithoutDefault('before') as Struct | null;
    const rowSchema = envelopeSchema.field('after')!.schema;
    if (after === null && before === null) return null; // truncate

    let out: R | null;
    if (after === null) {
      out = this.handleDelete(input, rowSchema, before!);
      if (out === null) return null;
      if (this.routeByField) out = this.route(out, before!);
      out = this.dropListedFields(out);
      if (out.value !== null) out = this.addFields(out, envelope);
    } else {
      out = rebuild(input, { valueSchema: rowSchema, value: after });
      if (this.isRewrite()) out = this.withDeleted(out, 'false');
      if (this.routeByField) out = this.route(out, out.value as Struct);
      out = this.addFields(out, envelope);
      out = this.dropListedFields(out);
    }
    return out;
  }

  /**
   * drop.fields.header.name: the fields the record's first header of that name lists are removed
   * from the value (and with drop.fields.from.key from the key), as Kafka's ReplaceField exclude
   * removes them; with drop.fields.keep.schema.compatible only the optional ones.
   */
  private dropListedFields<R extends AnyRecord>(record: R): R {
    if (!this.dropFields) return record;
    const header = [...record.headers].find((h) => h.key === this.dropFields!.header);
    const names = Array.isArray(header?.value) ? (header.value as unknown[]).filter((n): n is string => typeof n === 'string') : [];
    if (names.length === 0) return record;
    let out = record;
    if (this.dropFields.fromKey && out.key !== null && out.keySchema?.type === 'struct') {
      const dropped = this.withoutFields(out.keySchema, out.key as Struct, names);
      if (dropped) out = rebuild(out, { keySchema: dropped.schema, key: dropped.value });
    }
    if (out.valueSchema?.type === 'struct') {
      const dropped = this.withoutFields(out.valueSchema, out.value as Struct | null, names);
      if (dropped) out = rebuild(out, { valueSchema: dropped.schema, value: dropped.value });
    }
    return out;
  }

  private withoutFields(schema: Schema, value: Struct | null, names: string[]): { schema: Schema; value: Struct | null } | null {
    const drop = new Set(schema.fields().filter((f) => names.includes(f.name) && (!this.dropFields!.onlyOptional || f.schema.optional)).map((f) => f.name));
    if (drop.size === 0) return null;
    const key = [...drop].sort().join(',');
    const reduced = this.cached(this.droppedCache, schema, key, () => {
      const b = SchemaBuilder.struct().name(schema.name).version(schema.version).doc(schema.doc);
      if (schema.parameters) b.parameters({ ...schema.parameters });
      for (const f of schema.fields()) if (!drop.has(f.name)) b.field(f.name, f.schema);
      return b.build();
    });
    if (value === null) return { schema: reduced, value: null };
    const out = new Struct(reduced);
    // ReplaceField reads with Struct.get: a null field with a default takes the default.
    for (const f of reduced.fields()) out.put(f.name, value.get(f.name));
    return { schema: reduced, value: out };
  }

  close(): void {}

  private keepTombstone(): boolean {
    return this.legacy ? !this.legacy.dropTombstones : this.mode === 'rewrite-with-tombstone';
  }

  private isRewrite(): boolean {
    return this.legacy ? this.legacy.deletes === 'rewrite' : this.mode === 'rewrite' || this.mode === 'rewrite-with-tombstone';
  }

  private handleDelete<R extends AnyRecord>(record: R, rowSchema: Schema, before: Struct): R | null {
    const mode = this.legacy ? ({ drop: 'drop', none: 'tombstone', rewrite: 'rewrite' } as const)[this.legacy.deletes] : this.mode;
    switch (mode) {
      case 'drop': return null;
      // Debezium keeps the row schema with a null value here (its JDBC sink reads that as a delete).
      case 'tombstone': return rebuild(record, { valueSchema: rowSchema, value: null });
      case 'delete-to-tombstone': return rebuild(record, { valueSchema: null, value: null });
      case 'rewrite':
      case 'rewrite-with-tombstone': return this.withDeleted(rebuild(record, { valueSchema: rowSchema, value: before }), 'true');
    }
  }

  /** InsertField$Value static.field=__deleted: an optional string field appended, the schema no longer optional. */
  private withDeleted<R extends AnyRecord>(record: R, deleted: 'true' | 'false'): R {
    const row = record.value as Struct;
    const schema = this.cached(this.deletedCache, row.schema, '', () => structLike(row.schema).field(DELETED_FIELD, Schemas.OPTIONAL_STRING).build());
    const out = new Struct(schema);
    for (const f of row.schema.fields()) out.put(f.name, this.replaceNullWithDefault ? row.get(f.name) : row.getWithoutDefault(f.name));
    out.put(DELETED_FIELD, deleted);
    return rebuild(record, { valueSchema: schema, value: out });
  }

  private addFields<R extends AnyRecord>(record: R, envelope: Struct): R {
    if (this.fields.length === 0) return record;
    const row = record.value as Struct;
    const op = String(envelope.getWithoutDefault('op'));
    const refs = this.fields.map((ref) => ({ ref, schema: ref.schema(envelope.schema) })).filter((r) => r.schema !== null);
    const schema = this.cached(this.schemaCache, row.schema, op, () => {
      const b = structLike(row.schema);
      for (const { ref, schema: s } of refs) b.field(ref.newField, s!);
      return b.build();
    });
    const out = new Struct(schema);
    for (const f of row.schema.fields()) out.put(f.name, row.getWithoutDefault(f.name));
    for (const { ref } of refs) out.put(ref.newField, ref.value(envelope));
    return rebuild(record, { valueSchema: schema, value: out });
  }

  /** The add.headers of a record, in order; a tombstone (no envelope) gets only `op`, as a delete. */
  private addedHeaders(envelope: Struct | null): Header[] {
    const out: Header[] = [];
    for (const ref of this.headers) {
      if (!envelope) {
        if (ref.field === 'op') out.push({ key: ref.newField, schema: Schemas.STRING, value: 'd' });
        continue;
      }
      const schema = ref.schema(envelope.schema);
      if (schema) out.push({ key: ref.newField, schema, value: ref.value(envelope) });
    }
    return out;
  }

  private route<R extends AnyRecord>(record: R, row: Struct): R {
    const topic = row.schema.field(this.routeByField!) ? row.getWithoutDefault(this.routeByField!) : null;
    return typeof topic === 'string' && topic.trim() ? rebuild(record, { topic }) : record;
  }

  private cached(cache: WeakMap<Schema, Map<string, Schema>>, key: Schema, op: string, build: () => Schema): Schema {
    let byOp = cache.get(key);
    if (!byOp) cache.set(key, (byOp = new Map()));
    let s = byOp.get(op);
    if (!s) byOp.set(op, (s = build()));
    return s;
  }
}
