/** Config keys of the file connectors: Kafka's FileStreamSource/FileStreamSink keys. */
import { ConfigSpec, Validators } from '../../runtime/api/index.js';

export const FILE_CONFIG = 'file';
export const TOPIC_CONFIG = 'topic';
export const BATCH_SIZE_CONFIG = 'batch.size';
export const DEFAULT_BATCH_SIZE = 2000;

export function sourceSpec(): ConfigSpec {
  return new ConfigSpec()
    .define({ name: FILE_CONFIG, type: 'string', default: null, importance: 'high', doc: 'Source filename. If not specified, the standard input will be used' })
    .define({ name: TOPIC_CONFIG, type: 'list', importance: 'high', validator: Validators.all(Validators.nonEmptyList(), singleTopic()), doc: 'The topic to publish data to' })
    .define({ name: BATCH_SIZE_CONFIG, type: 'int', default: DEFAULT_BATCH_SIZE, validator: Validators.atLeast(1), importance: 'low', doc: 'The maximum number of records the source task can read from the file each time it is polled' });
}

export function sinkSpec(): ConfigSpec {
  return new ConfigSpec().define({ name: FILE_CONFIG, type: 'string', default: null, importance: 'high', doc: 'Destination filename. If not specified, the standard output will be used' });
}

function singleTopic() {
  return Object.assign(
    (_n: string, v: unknown) => (Array.isArray(v) && v.length > 1 ? "'topic' in FileStreamSourceConnector configuration requires definition of a single topic" : null),
    { describe: 'a single topic' },
  );
}
