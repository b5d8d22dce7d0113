/** TopicNameMatches: true for records whose whole topic name matches `pattern` (a Java regex). */
import { ConfigSpec, Validators, type AnyRecord, type Predicate, type Validator } from '../../api/index.js';
import { compileFullMatch, regexError } from '../java-regex.js';
import { parseConfig } from '../support.js';

const patternValidator: Validator = Validators.all(
  Validators.nonEmptyString(),
  Object.assign((_n: string, v: unknown) => (typeof v === 'string' ? regexError(v) : null), { describe: 'valid regex' }),
);

export const TOPIC_NAME_MATCHES_CONFIG = new ConfigSpec().define({
  name: 'pattern',
  type: 'string',
  importance: 'medium',
  validator: patternValidator,
  doc: 'A Java regular expression for matching against the name of a record\'s topic.',
});

export class TopicNameMatches implements Predicate {
  private pattern = /^$/;

  configure(configs: Record<string, string>): void {
    this.pattern = compileFullMatch(parseConfig(TOPIC_NAME_MATCHES_CONFIG, configs, 'TopicNameMatches').requireString('pattern'));
  }

  test(record: AnyRecord): boolean {
    return this.pattern.test(record.topic);
  }

  config(): ConfigSpec {
    return TOPIC_NAME_MATCHES_CONFIG;
  }

  close(): void {}
}
