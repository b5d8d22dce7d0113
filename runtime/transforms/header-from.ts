/**
 * HeaderFrom$Key / HeaderFrom$Value: copies (or moves) fields of the key or value into headers,
 * `fields[i]` into the header `headers[i]`, keeping the field's schema.
 */
import { ConfigSpec, DataError, SchemaBuilder, Struct, Validators, type AnyRecord, type Schema, type Transformation } from '../api/index.js';
import { SchemaCache, copySchemaBasics, fieldValue, operatingSchema, operatingValue, parseConfig, rawList, rebuild, requireMap, requireStruct, variantName, type Side, REPLACE_NULL_WITH_DEFAULT } from './support.js';

export const HEADER_FROM_CONFIG = new ConfigSpec()
  .define({ name: 'fields', type: 'list', importance: 'high', validator: Validators.nonEmptyList(), doc: 'Field names in the record whose values are to be copied or moved to headers.' })
  .define({ name: 'headers', type: 'list', importance: 'high', validator: Validators.nonEmptyList(), doc: 'Header names, in the same order as the field names listed in the fields configuration property.' })
  .define({ name: 'operation', type: 'string', importance: 'high', validator: Validators.oneOf('move', 'copy'), doc: 'Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value).' })
  .define(REPLACE_NULL_WITH_DEFAULT);

export class HeaderFrom implements Transformation {
  private fields: string[] = [];
  private headers: string[] = [];
  private move = false;
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  configure(configs: Record<string, string>): void {
    const config = parseConfig(HEADER_FROM_CONFIG, configs, variantName('HeaderFrom', this.side), (props): Record<string, string[]> => {
      const f = rawList(props, 'fields');
      const h = rawList(props, 'headers');
      return f.length && h.length && f.length !== h.length
        ? { fields: ["'fields' config must have the same number of elements as 'headers' config."] }
        : {};
    });
    this.fields = config.getList('fields');
    this.headers = config.getList('headers');
    this.move = config.getString('operation') === 'move';
    this.replaceNullWithDefault = config.getBoolean('replace.null.with.default');
    this.cache.clear();
  }

  apply<R extends AnyRecord>(record: R): R | null {
    const value = operatingValue(record, this.side);
    // A tombstone has no fields to copy; it passes through unchanged.
    if (value === null) return record;
    const schema = operatingSchema(record, this.side);
    const headers = record.headers.duplicate();
    const purpose = `header ${this.move ? 'move' : 'copy'}`;
    if (!schema) {
      const map = requireMap(value, purpose);
      this.fields.forEach((f, i) => headers.add(this.headers[i]!, map[f] ?? null, null));
      if (!this.move) return rebuild(record, { headers });
      const updated: Record<string, unknown> = { ...map };
      for (const f of this.fields) delete updated[f];
      return this.withSide(record, null, updated, headers);
    }
    const struct = requireStruct(value, purpose);
    this.fields.forEach((f, i) => {
      const field = schema.field(f);
      if (!field) throw new DataError(`Field does not exist: ${f}`);
      headers.add(this.headers[i]!, fieldValue(struct, f, this.replaceNullWithDefault), field.schema);
    });
    if (!this.move) return rebuild(record, { headers });
    const updatedSchema = this.cache.getOrBuild(schema, (s) => this.withoutFields(s));
    const updated = new Struct(updatedSchema);
    for (const field of updatedSchema.fields()) updated.put(field.name, fieldValue(struct, field.name, this.replaceNullWithDefault));
    return this.withSide(record, updatedSchema, updated, headers);
  }

  private withSide<R extends AnyRecord>(record: R, schema: Schema | null, value: unknown, headers: R['headers']): R {
    return this.side === 'key'
      ? rebuild(record, { keySchema: schema, key: value, headers })
      : rebuild(record, { valueSchema: schema, value, headers });
  }

  private withoutFields(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields()) if (!this.fields.includes(field.name)) builder.field(field.name, field.schema);
    if (schema.optional) builder.optional();
    return builder.build();
  }

  config(): ConfigSpec {
    return HEADER_FROM_CONFIG;
  }

  close(): void {
    this.cache.clear();
  }
}
