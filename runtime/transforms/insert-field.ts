/**
 * InsertField$Key / InsertField$Value: adds the record's topic, partition, offset (sink records),
 * timestamp, or a static string as fields. A trailing `!` makes the field required, `?` (the default)
 * optional. Tombstones pass through unchanged.
 */
import { ConfigSpec, DataError, SchemaBuilder, Schemas, SinkRecord, Struct, TimestampType, type AnyRecord, type Schema, type Transformation } from '../api/index.js';
import { SchemaCache, copySchemaBasics, fieldValue, operatingSchema, operatingValue, parseConfig, requireMap, requireStruct, variantName, withOperating, type Side, REPLACE_NULL_WITH_DEFAULT } from './support.js';

const PURPOSE = 'field insertion';
const OPTIONALITY_DOC = "Suffix with '!' to make this a required field, or '?' to keep it optional (the default).";
const OPTIONAL_TIMESTAMP = TimestampType.builder().optional().build();

function field(name: string, doc: string): Parameters<ConfigSpec['define']>[0] {
  return { name, type: 'string', default: null, importance: 'medium', doc };
}

export const INSERT_FIELD_CONFIG = new ConfigSpec()
  .define(field('topic.field', `Field name for Kafka topic. ${OPTIONALITY_DOC}`))
  .define(field('partition.field', `Field name for Kafka partition. ${OPTIONALITY_DOC}`))
  .define(field('offset.field', `Field name for Kafka offset - only applicable to sink connectors. ${OPTIONALITY_DOC}`))
  .define(field('timestamp.field', `Field name for record timestamp. ${OPTIONALITY_DOC}`))
  .define(field('static.field', `Field name for static data field. ${OPTIONALITY_DOC}`))
  .define(field('static.value', 'Static field value, if field name configured.'))
  .define(REPLACE_NULL_WITH_DEFAULT);

interface InsertionSpec {
  name: string;
  optional: boolean;
}

function parseSpec(text: string | null): InsertionSpec | null {
  if (text === null) return null;
  if (text.endsWith('?')) return { name: text.slice(0, -1), optional: true };
  if (text.endsWith('!')) return { name: text.slice(0, -1), optional: false };
  return { name: text, optional: true };
}

export class InsertField implements Transformation {
  private topic: InsertionSpec | null = null;
  private partition: InsertionSpec | null = null;
  private offset: InsertionSpec | null = null;
  private timestamp: InsertionSpec | null = null;
  private staticField: InsertionSpec | null = null;
  private staticValue: string | null = null;
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  configure(configs: Record<string, string>): void {
    const config = parseConfig(INSERT_FIELD_CONFIG, configs, variantName('InsertField', this.side));
    this.topic = parseSpec(config.getString('topic.field'));
    this.partition = parseSpec(config.getString('partition.field'));
    this.offset = parseSpec(config.getString('offset.field'));
    this.timestamp = parseSpec(config.getString('timestamp.field'));
    this.staticField = parseSpec(config.getString('static.field'));
    this.staticValue = config.getString('static.value');
    this.replaceNullWithDefault = config.getBoolean('replace.null.with.default');
    this.cache.clear();
  }

  apply<R extends AnyRecord>(record: R): R | null {
    const value = operatingValue(record, this.side);
    if (value === null) return record;
    const schema = operatingSchema(record, this.side);
    const inserts = this.inserts(record, schema !== null);
    if (!schema) {
      const updated: Record<string, unknown> = { ...requireMap(value, PURPOSE) };
      for (const [name, v] of inserts) updated[name] = v;
      return withOperating(record, this.side, null, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.cache.getOrBuild(schema, (s) => this.buildSchema(s));
    const updated = new Struct(updatedSchema);
    for (const f of schema.fields()) updated.put(f.name, fieldValue(struct, f.name, this.replaceNullWithDefault));
    for (const [name, v] of inserts) updated.put(name, v);
    return withOperating(record, this.side, updatedSchema, updated);
  }

  /** The fields to add, in config order; absent partition or timestamp values are left out. */
  private inserts(record: AnyRecord, withSchema: boolean): Array<[string, unknown]> {
    const out: Array<[string, unknown]> = [];
    if (this.topic) out.push([this.topic.name, record.topic]);
    if (this.partition && record.kafkaPartition !== null) out.push([this.partition.name, record.kafkaPartition]);
    if (this.offset) {
      if (!(record instanceof SinkRecord)) {
        throw new DataError(`Offset insertion is only supported for sink connectors, record is of type: ${record.constructor.name}`);
      }
      out.push([this.offset.name, record.kafkaOffset]);
    }
    if (this.timestamp && record.timestamp !== null) out.push([this.timestamp.name, withSchema ? new Date(record.timestamp) : record.timestamp]);
    if (this.staticField && this.staticValue !== null) out.push([this.staticField.name, this.staticValue]);
    return out;
  }

  private buildSchema(schema: Schema): Schema {
    if (schema.type !== 'struct') throw new DataError(`Only Struct objects supported for [${PURPOSE}], found: ${schema.describe()}`);
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const f of schema.fields()) builder.field(f.name, f.schema);
    const add = (spec: InsertionSpec | null, optional: Schema, required: Schema) => {
      if (spec) builder.field(spec.name, spec.optional ? optional : required);
    };
    add(this.topic, Schemas.OPTIONAL_STRING, Schemas.STRING);
    add(this.partition, Schemas.OPTIONAL_INT32, Schemas.INT32);
    add(this.offset, Schemas.OPTIONAL_INT64, Schemas.INT64);
    add(this.timestamp, OPTIONAL_TIMESTAMP, TimestampType.SCHEMA);
    add(this.staticField, Schemas.OPTIONAL_STRING, Schemas.STRING);
    if (schema.optional) builder.optional();
    return builder.build();
  }

  config(): ConfigSpec {
    return INSERT_FIELD_CONFIG;
  }

  close(): void {
    this.cache.clear();
  }
}
