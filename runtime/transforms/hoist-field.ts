/** HoistField$Key / HoistField$Value: wraps the key or value in a Struct (or map) with one field. */
import { ConfigSpec, SchemaBuilder, Struct, type AnyRecord, type Schema, type Transformation } from '../api/index.js';
import { SchemaCache, operatingSchema, operatingValue, parseConfig, variantName, withOperating, type Side } from './support.js';

export const HOIST_FIELD_CONFIG = new ConfigSpec().define({
  name: 'field',
  type: 'string',
  importance: 'medium',
  doc: 'Field name for the single field that will be created in the resulting Struct or Map.',
});

export class HoistField implements Transformation {
  private field = '';
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  configure(configs: Record<string, string>): void {
    this.field = parseConfig(HOIST_FIELD_CONFIG, configs, variantName('HoistField', this.side)).requireString('field');
    this.cache.clear();
  }

  apply<R extends AnyRecord>(record: R): R | null {
    const schema = operatingSchema(record, this.side);
    const value = operatingValue(record, this.side);
    if (!schema) return withOperating(record, this.side, null, { [this.field]: value });
    const updatedSchema = this.cache.getOrBuild(schema, (s: Schema) => SchemaBuilder.struct().field(this.field, s).build());
    return withOperating(record, this.side, updatedSchema, new Struct(updatedSchema).put(this.field, value));
  }

  config(): ConfigSpec {
    return HOIST_FIELD_CONFIG;
  }

  close(): void {
    this.cache.clear();
  }
}
