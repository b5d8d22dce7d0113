/**
 * io.debezium.transforms.ExtractChangedRecordState: adds headers naming the row's fields that an
 * update changed (header.changed.name) and those it left as they were (header.unchanged.name),
 * compared between `before` and `after`. Every change event gets them, empty where there is no
 * `before` (an insert, a snapshot read, an update without the old row) or no `after`, as Debezium
 * adds them; with ExtractNewRecordState's drop.fields.header.name the unchanged fields can then be
 * left out. Records that are not change events pass through untouched.
 */
import { ConfigSpec, ConnectHeaders, SchemaBuilder, Schemas, Struct, valuesEqual, type AnyRecord, type ConnectRecordFields, type Header, type Schema, type Transformation } from '../../../runtime/api/index.js';

export const EXTRACT_CHANGED_RECORD_STATE_CONFIG = new ConfigSpec()
  .define({ name: 'header.changed.name', type: 'string', default: null, importance: 'low', doc: 'The header listing the fields an update changed; unset: no such header.' })
  .define({ name: 'header.unchanged.name', type: 'string', default: null, importance: 'low', doc: 'The header listing the fields an update left unchanged; unset: no such header.' });

export class ExtractChangedRecordState implements Transformation {
  private changed: { name: string; schema: Schema } | null = null;
  private unchanged: { name: string; schema: Schema } | null = null;
  /** The last delete and its added headers: its tombstone, next, carries them too (apply()). */
  private lastDelete: { topic: string; key: unknown; added: Header[] } | null = null;

  config(): ConfigSpec {
    return EXTRACT_CHANGED_RECORD_STATE_CONFIG;
  }

  configure(configs: Record<string, string>): void {
    const cfg = EXTRACT_CHANGED_RECORD_STATE_CONFIG.parse(configs, 'ExtractChangedRecordState config');
    // An optional array of optional strings named after the header, as Debezium declares it.
    const header = (key: string) => {
      const name = cfg.getString(key);
      return name && name.trim() ? { name, schema: SchemaBuilder.array(Schemas.OPTIONAL_STRING).optional().name(name).build() } : null;
    };
    this.changed = header('header.changed.name');
    this.unchanged = header('header.unchanged.name');
  }

  apply<R extends AnyRecord>(record: R): R {
    if (!this.changed && !this.unchanged) return record;
    if (record.value === null) {
      // Debezium's tombstone shares its delete's header list, to which this transform added in
      // place: the tombstone carries the delete's headers.
      const last = this.lastDelete;
      this.lastDelete = null;
      return last && last.topic === record.topic && last.key === record.key ? this.withHeaders(record, last.added) : record;
    }
    this.lastDelete = null;
    if (!(record.value instanceof Struct) || !record.valueSchema?.name?.endsWith('.Envelope')) return record;
    const after = record.value.get('after');
    const before = record.value.get('before');
    const changed: string[] = [];
    const unchanged: string[] = [];
    if (after instanceof Struct && before instanceof Struct) {
      for (const f of after.schema.fields()) {
        // Java's Objects.equals on Connect values: bytes are ByteBuffers there, equal by content.
        (valuesEqual(after.getWithoutDefault(f.name), before.getWithoutDefault(f.name)) ? unchanged : changed).push(f.name);
      }
    }
    const added: Header[] = [];
    if (this.changed) added.push({ key: this.changed.name, schema: this.changed.schema, value: changed });
    if (this.unchanged) added.push({ key: this.unchanged.name, schema: this.unchanged.schema, value: unchanged });
    if (record.value.get('op') === 'd') this.lastDelete = { topic: record.topic, key: record.key, added };
    return this.withHeaders(record, added);
  }

  private withHeaders<R extends AnyRecord>(record: R, added: Header[]): R {
    return (record.newRecord as (c: Partial<ConnectRecordFields>) => R).call(record, { headers: new ConnectHeaders([...record.headers, ...added]) });
  }

  close(): void {}
}
