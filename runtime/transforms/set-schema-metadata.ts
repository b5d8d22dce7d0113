/** SetSchemaMetadata$Key / SetSchemaMetadata$Value: sets the name and/or version of the key or value schema. */
import { ConfigSpec, Schema, Struct, type AnyRecord, type Transformation } from '../api/index.js';
import { SchemaCache, fieldValue, operatingSchema, operatingValue, parseConfig, requireSchema, variantName, withOperating, type Side, REPLACE_NULL_WITH_DEFAULT } from './support.js';

export const SET_SCHEMA_METADATA_CONFIG = new ConfigSpec()
  .define({ name: 'schema.name', type: 'string', default: null, importance: 'high', doc: 'Schema name to set.' })
  .define({ name: 'schema.version', type: 'int', default: null, importance: 'high', doc: 'Schema version to set.' })
  .define(REPLACE_NULL_WITH_DEFAULT);

export class SetSchemaMetadata implements Transformation {
  private name: string | null = null;
  private version: number | null = null;
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  configure(configs: Record<string, string>): void {
    const config = parseConfig(SET_SCHEMA_METADATA_CONFIG, configs, variantName('SetSchemaMetadata', this.side), (props): Record<string, string[]> =>
      props['schema.name'] === undefined && props['schema.version'] === undefined
        ? { 'schema.name': ['Neither schema name nor version configured'] }
        : {});
    this.name = config.getString('schema.name');
    this.version = config.getNumber('schema.version');
    this.replaceNullWithDefault = config.getBoolean('replace.null.with.default');
    this.cache.clear();
  }

  apply<R extends AnyRecord>(record: R): R | null {
    const schema = requireSchema(operatingSchema(record, this.side), 'updating schema metadata');
    const updatedSchema = this.cache.getOrBuild(schema, (s) => new Schema({
      type: s.type,
      optional: s.optional,
      defaultValue: s.defaultValue,
      name: this.name ?? s.name,
      version: this.version ?? s.version,
      doc: s.doc,
      parameters: s.parameters,
      fields: s.type === 'struct' ? s.fields().map((f) => ({ name: f.name, schema: f.schema })) : undefined,
      keySchema: s.keySchema,
      valueSchema: s.valueSchema,
    }));
    const value = operatingValue(record, this.side);
    // A Struct carries its schema, so it is rebuilt against the renamed one.
    if (!(value instanceof Struct)) return withOperating(record, this.side, updatedSchema, value);
    const updated = new Struct(updatedSchema);
    for (const f of updatedSchema.fields()) updated.put(f, fieldValue(value, f.name, this.replaceNullWithDefault));
    return withOperating(record, this.side, updatedSchema, updated);
  }

  config(): ConfigSpec {
    return SET_SCHEMA_METADATA_CONFIG;
  }

  close(): void {
    this.cache.clear();
  }
}
