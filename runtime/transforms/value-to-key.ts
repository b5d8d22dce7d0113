/** ValueToKey: replaces the record key with a Struct (or map) of the listed fields of the value. */
import { ConfigSpec, DataError, SchemaBuilder, Struct, Validators, type AnyRecord, type Schema, type Transformation } from '../api/index.js';
import { SchemaCache, parseConfig, rebuild, requireMap, requireStruct } from './support.js';

const PURPOSE = 'copying fields from value to key';

export const VALUE_TO_KEY_CONFIG = new ConfigSpec().define({
  name: 'fields',
  type: 'list',
  importance: 'high',
  validator: Validators.nonEmptyList(),
  doc: 'Field names on the record value to extract as the record key.',
});

export class ValueToKey implements Transformation {
  private fields: string[] = [];
  private readonly cache = new SchemaCache();

  configure(configs: Record<string, string>): void {
    this.fields = parseConfig(VALUE_TO_KEY_CONFIG, configs, 'ValueToKey').getList('fields');
    this.cache.clear();
  }

  apply<R extends AnyRecord>(record: R): R | null {
    if (!record.valueSchema) {
      const value = requireMap(record.value, PURPOSE);
      const key: Record<string, unknown> = {};
      for (const f of this.fields) key[f] = value[f] ?? null;
      return rebuild(record, { keySchema: null, key });
    }
    const value = requireStruct(record.value, PURPOSE);
    const keySchema = this.cache.getOrBuild(record.valueSchema, (s) => this.keySchemaFor(s));
    const key = new Struct(keySchema);
    for (const f of this.fields) key.put(f, value.get(f));
    return rebuild(record, { keySchema, key });
  }

  private keySchemaFor(valueSchema: Schema): Schema {
    const builder = SchemaBuilder.struct();
    for (const f of this.fields) {
      const field = valueSchema.field(f);
      if (!field) throw new DataError(`Field does not exist: ${f}`);
      builder.field(f, field.schema);
    }
    return builder.build();
  }

  config(): ConfigSpec {
    return VALUE_TO_KEY_CONFIG;
  }

  close(): void {
    this.cache.clear();
  }
}
