/** ExtractField$Key / ExtractField$Value: replaces the key or value with one of its fields. */
import { ConfigSpec, DataError, type AnyRecord, type Transformation } from '../api/index.js';
import { FIELD_SYNTAX_VERSION_KEY, FieldPath, syntaxVersionOf, withFieldSyntaxVersion } from './field-path.js';
import { operatingSchema, operatingValue, parseConfig, requireMapOrNull, requireStructOrNull, variantName, withOperating, type Side, REPLACE_NULL_WITH_DEFAULT } from './support.js';

const PURPOSE = 'field extraction';

export const EXTRACT_FIELD_CONFIG = withFieldSyntaxVersion(
  new ConfigSpec()
    .define({ name: 'field', type: 'string', importance: 'medium', doc: 'Field name to extract.' })
    .define(REPLACE_NULL_WITH_DEFAULT),
);

export class ExtractField implements Transformation {
  private path = new FieldPath('', 'V1');
  private replaceNullWithDefault = true;

  constructor(private readonly side: Side) {}

  configure(configs: Record<string, string>): void {
    const config = parseConfig(EXTRACT_FIELD_CONFIG, configs, variantName('ExtractField', this.side), (props): Record<string, string[]> => {
      if (props.field === undefined || syntaxVersionOf(props[FIELD_SYNTAX_VERSION_KEY]) === 'V1') return {};
      try {
        new FieldPath(props.field, 'V2');
        return {};
      } catch (e) {
        return { field: [`Invalid value ${props.field} for configuration field: ${(e as Error).message}`] };
      }
    });
    this.path = new FieldPath(config.requireString('field'), syntaxVersionOf(config.getString(FIELD_SYNTAX_VERSION_KEY)));
    this.replaceNullWithDefault = config.getBoolean('replace.null.with.default');
  }

  apply<R extends AnyRecord>(record: R): R | null {
    const schema = operatingSchema(record, this.side);
    const value = operatingValue(record, this.side);
    if (!schema) {
      const map = requireMapOrNull(value, PURPOSE);
      return withOperating(record, this.side, null, map === null ? null : this.path.valueFromMap(map));
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const field = this.path.fieldFrom(schema);
    if (!field) throw new DataError(`Unknown field: ${this.path.text}`);
    return withOperating(record, this.side, field.schema, this.path.valueFromStruct(struct, this.replaceNullWithDefault));
  }

  config(): ConfigSpec {
    return EXTRACT_FIELD_CONFIG;
  }

  close(): void {}
}
