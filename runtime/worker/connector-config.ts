/** The config keys every connector has, as Kafka Connect's ConnectorConfig, SinkConnectorConfig and SourceConnectorConfig. */
import { ConfigSpec } from '../config/config-spec.js';
import { Validators } from '../config/validators.js';

function commonSpec(): ConfigSpec {
  return new ConfigSpec()
    .define({ name: 'name', type: 'string', importance: 'high', validator: Validators.nonEmptyString(), doc: 'Globally unique name of the connector.', group: 'Common' })
    .define({ name: 'connector.class', type: 'string', importance: 'high', doc: 'The connector plugin: a Java class name (e.g. org.apache.kafka.connect.file.FileStreamSourceConnector) or an alias.', group: 'Common' })
    .define({ name: 'tasks.max', type: 'int', default: 1, validator: Validators.atLeast(1), importance: 'high', doc: 'Most tasks to create.', group: 'Common' })
    .define({ name: 'tasks.max.enforce', type: 'boolean', default: true, importance: 'low', doc: 'Fail the connector when it makes more task configs than tasks.max.', group: 'Common' })
    .define({ name: 'key.converter', type: 'class', default: null, importance: 'low', doc: 'Converter for keys, overriding the worker\'s.', group: 'Common' })
    .define({ name: 'value.converter', type: 'class', default: null, importance: 'low', doc: 'Converter for values, overriding the worker\'s.', group: 'Common' })
    .define({ name: 'header.converter', type: 'class', default: null, importance: 'low', doc: 'Converter for headers, overriding the worker\'s.', group: 'Common' })
    .define({ name: 'config.action.reload', type: 'string', default: 'restart', validator: Validators.oneOfIgnoreCase('none', 'restart'), importance: 'low', doc: 'What to do when a config provider says a value changed.', group: 'Common' })
    .define({ name: 'transforms', type: 'list', default: [], importance: 'low', doc: 'Aliases of the transforms to apply, in order.', group: 'Transforms' })
    .define({ name: 'predicates', type: 'list', default: [], importance: 'low', doc: 'Aliases of the predicates transforms may use.', group: 'Predicates' })
    .define({ name: 'errors.retry.timeout', type: 'long', default: 0, validator: Validators.atLeast(-1), importance: 'medium', doc: 'How long to retry a failed operation (ms); 0 no retries, -1 forever.', group: 'Error Handling' })
    .define({ name: 'errors.retry.delay.max.ms', type: 'long', default: 60000, validator: Validators.atLeast(1), importance: 'medium', doc: 'Longest wait between retries (ms).', group: 'Error Handling' })
    .define({ name: 'errors.tolerance', type: 'string', default: 'none', validator: Validators.oneOfIgnoreCase('none', 'all'), importance: 'medium', doc: 'none: an error fails the task. all: problem records are skipped (and sent to the dead letter queue of a sink).', group: 'Error Handling' })
    .define({ name: 'errors.log.enable', type: 'boolean', default: false, importance: 'medium', doc: 'Log each failed operation and problem record.', group: 'Error Handling' })
    .define({ name: 'errors.log.include.messages', type: 'boolean', default: false, importance: 'medium', doc: 'Include the record (topic, partition, offset, key, value) in those log lines.', group: 'Error Handling' });
}

export function sinkConnectorConfigSpec(): ConfigSpec {
  return commonSpec()
    .define({ name: 'topics', type: 'list', default: [], importance: 'high', doc: 'Topics to consume. Use this or topics.regex.', group: 'Common' })
    .define({ name: 'topics.regex', type: 'string', default: '', validator: Validators.regex(), importance: 'high', doc: 'Regular expression of topics to consume. Use this or topics.', group: 'Common' })
    .define({ name: 'errors.deadletterqueue.topic.name', type: 'string', default: '', importance: 'medium', doc: 'Topic of records that failed (with errors.tolerance=all).', group: 'Error Handling' })
    .define({ name: 'errors.deadletterqueue.topic.replication.factor', type: 'short', default: 3, importance: 'medium', doc: 'Replication factor of the dead letter queue topic when created.', group: 'Error Handling' })
    .define({ name: 'errors.deadletterqueue.context.headers.enable', type: 'boolean', default: false, importance: 'medium', doc: 'Add __connect.errors.* headers telling where and why a record failed.', group: 'Error Handling' });
}

export function sourceConnectorConfigSpec(): ConfigSpec {
  return commonSpec()
    .define({ name: 'topic.creation.groups', type: 'list', default: [], importance: 'low', doc: 'Topic creation groups, in the order a topic is matched against their include/exclude regexes (runtime/worker/topic-creation.ts).', group: 'Topic Creation' })
    .define({ name: 'topic.creation.default.partitions', type: 'int', default: null, importance: 'low', doc: 'Partitions of topics this connector creates (-1: the log default); required once any topic.creation. key is set.', group: 'Topic Creation' })
    .define({ name: 'topic.creation.default.replication.factor', type: 'short', default: null, importance: 'low', doc: 'Replication factor of topics this connector creates (-1: the log default); required once any topic.creation. key is set.', group: 'Topic Creation' })
    .define({ name: 'exactly.once.support', type: 'string', default: 'requested', validator: Validators.oneOfIgnoreCase('requested', 'required'), importance: 'medium', doc: 'Accepted for compatibility (exactly-once source needs distributed mode).', group: 'Exactly Once Support' })
    .define({ name: 'transaction.boundary', type: 'string', default: 'poll', validator: Validators.oneOfIgnoreCase('poll', 'interval', 'connector'), importance: 'medium', doc: 'Accepted for compatibility.', group: 'Exactly Once Support' })
    .define({ name: 'offsets.storage.topic', type: 'string', default: null, importance: 'low', doc: 'A separate offsets topic for this connector (not supported yet; the worker topic is used).', group: 'Offsets' });
}

/** Per-connector client overrides that are not config errors. */
export const CONNECTOR_PASSTHROUGH_PREFIXES = ['key.converter.', 'value.converter.', 'header.converter.', 'transforms.', 'predicates.', 'producer.override.', 'consumer.override.', 'admin.override.', 'topic.creation.'];
