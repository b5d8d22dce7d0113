/** InsertHeader: adds a header `header` whose value is `value.literal`, typed as Connect's Values would type it. */
import { ConfigSpec, Validators, type AnyRecord, type SchemaAndValue, type Transformation } from '../api/index.js';
import { parseLiteral } from './literal-value.js';
import { parseConfig, rebuild } from './support.js';

export const INSERT_HEADER_CONFIG = new ConfigSpec()
  .define({ name: 'header', type: 'string', importance: 'high', validator: Validators.nonEmptyString(), doc: 'The name of the header.' })
  .define({ name: 'value.literal', type: 'string', importance: 'high', doc: 'The literal value that is to be set as the header value on all records.' });

export class InsertHeader implements Transformation {
  private header = '';
  private literal: SchemaAndValue | null = null;

  configure(configs: Record<string, string>): void {
    const config = parseConfig(INSERT_HEADER_CONFIG, configs, 'InsertHeader');
    this.header = config.requireString('header');
    this.literal = parseLiteral(config.requireString('value.literal'));
  }

  apply<R extends AnyRecord>(record: R): R | null {
    const headers = record.headers.duplicate();
    headers.add(this.header, this.literal!.value, this.literal!.schema);
    return rebuild(record, { headers });
  }

  config(): ConfigSpec {
    return INSERT_HEADER_CONFIG;
  }

  close(): void {}
}
