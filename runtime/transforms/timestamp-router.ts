/**
 * TimestampRouter: renames the topic from `topic.format`, where `${topic}` is the original topic and
 * `${timestamp}` the record timestamp written with `timestamp.format` (UTC), e.g. `orders-20240131`.
 */
import { ConfigSpec, DataError, type AnyRecord, type Transformation, type Validator } from '../api/index.js';
import { SimpleDateFormat, patternError } from './simple-date-format.js';
import { parseConfig, rebuild } from './support.js';

const patternValidator: Validator = Object.assign(
  (_name: string, value: unknown) => (typeof value === 'string' ? patternError(value) : null),
  { describe: 'SimpleDateFormat pattern' },
);

export const TIMESTAMP_ROUTER_CONFIG = new ConfigSpec()
  .define({
    name: 'topic.format',
    type: 'string',
    default: '${topic}-${timestamp}',
    importance: 'high',
    doc: 'Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively.',
  })
  .define({
    name: 'timestamp.format',
    type: 'string',
    default: 'yyyyMMdd',
    importance: 'high',
    validator: patternValidator,
    doc: 'Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.',
  });

export class TimestampRouter implements Transformation {
  private topicFormat = '${topic}-${timestamp}';
  private format = new SimpleDateFormat('yyyyMMdd');

  configure(configs: Record<string, string>): void {
    const config = parseConfig(TIMESTAMP_ROUTER_CONFIG, configs, 'TimestampRouter');
    this.topicFormat = config.requireString('topic.format');
    this.format = new SimpleDateFormat(config.requireString('timestamp.format'));
  }

  apply<R extends AnyRecord>(record: R): R | null {
    if (record.timestamp === null) {
      throw new DataError(`Timestamp missing on record: topic ${record.topic}, partition ${record.kafkaPartition ?? 'none'}`);
    }
    const stamp = this.format.format(record.timestamp);
    return rebuild(record, { topic: this.topicFormat.replaceAll('${topic}', record.topic).replaceAll('${timestamp}', stamp) });
  }

  config(): ConfigSpec {
    return TIMESTAMP_ROUTER_CONFIG;
  }

  close(): void {}
}
