/** HasHeaderKey: true for records with at least one header named `name`. */
import { ConfigSpec, Validators, type AnyRecord, type Predicate } from '../../api/index.js';
import { parseConfig } from '../support.js';

export const HAS_HEADER_KEY_CONFIG = new ConfigSpec().define({
  name: 'name',
  type: 'string',
  importance: 'medium',
  validator: Validators.nonEmptyString(),
  doc: 'The header name.',
});

export class HasHeaderKey implements Predicate {
  private name = '';

  configure(configs: Record<string, string>): void {
    this.name = parseConfig(HAS_HEADER_KEY_CONFIG, configs, 'HasHeaderKey').requireString('name');
  }

  test(record: AnyRecord): boolean {
    return record.headers.lastWithName(this.name) !== null;
  }

  config(): ConfigSpec {
    return HAS_HEADER_KEY_CONFIG;
  }

  close(): void {}
}
