/** DropHeaders: removes every header whose key is listed in `headers`. */
import { ConfigSpec, Validators, type AnyRecord, type Transformation } from '../api/index.js';
import { parseConfig, rebuild } from './support.js';

export const DROP_HEADERS_CONFIG = new ConfigSpec().define({
  name: 'headers',
  type: 'list',
  importance: 'high',
  validator: Validators.nonEmptyList(),
  doc: 'The name of the headers to be removed.',
});

export class DropHeaders implements Transformation {
  private names = new Set<string>();

  configure(configs: Record<string, string>): void {
    this.names = new Set(parseConfig(DROP_HEADERS_CONFIG, configs, 'DropHeaders').getList('headers'));
  }

  apply<R extends AnyRecord>(record: R): R | null {
    const headers = record.headers.duplicate();
    for (const name of this.names) headers.remove(name);
    return rebuild(record, { headers });
  }

  config(): ConfigSpec {
    return DROP_HEADERS_CONFIG;
  }

  close(): void {}
}
