/** The worker's config keys: Kafka Connect's names and defaults, plus `embedded.log.dir`. */
import { ConfigSpec } from '../config/config-spec.js';
import { Validators } from '../config/validators.js';

export const WORKER_GROUP = 'Worker';

export function workerConfigSpec(): ConfigSpec {
  return new ConfigSpec()
    .define({ name: 'bootstrap.servers', type: 'list', default: [], importance: 'high', doc: 'Kafka brokers to use as the log. Empty: the embedded log in embedded.log.dir (standalone mode only).' })
    .define({ name: 'embedded.log.dir', type: 'string', default: '/tmp/tsconnect-data', importance: 'high', doc: 'Directory of the embedded log (used when bootstrap.servers is empty). It holds every topic, including the internal config, offset and status topics.' })
    .define({ name: 'group.id', type: 'string', default: null, importance: 'high', doc: 'Connect cluster a distributed worker belongs to.' })
    .define({ name: 'listeners', type: 'list', default: ['http://:8083'], importance: 'low', doc: 'Where the REST API listens: comma-separated URLs such as http://:8083 or http://127.0.0.1:0.' })
    .define({ name: 'rest.advertised.host.name', type: 'string', default: null, importance: 'low', doc: 'Host name given to other workers and used in the worker id.' })
    .define({ name: 'rest.advertised.port', type: 'int', default: null, importance: 'low', doc: 'Port given to other workers and used in the worker id.' })
    .define({ name: 'rest.advertised.listener', type: 'string', default: null, importance: 'low', doc: 'Which listener (http or https) to advertise.' })
    .define({ name: 'key.converter', type: 'class', default: 'org.apache.kafka.connect.json.JsonConverter', importance: 'high', doc: 'Converter for record keys, unless a connector overrides it.' })
    .define({ name: 'value.converter', type: 'class', default: 'org.apache.kafka.connect.json.JsonConverter', importance: 'high', doc: 'Converter for record values, unless a connector overrides it.' })
    .define({ name: 'header.converter', type: 'class', default: 'org.apache.kafka.connect.storage.SimpleHeaderConverter', importance: 'low', doc: 'Converter for record headers.' })
    .define({ name: 'offset.flush.interval.ms', type: 'long', default: 60000, validator: Validators.atLeast(1), importance: 'low', doc: 'How often source offsets and sink consumer offsets are committed.' })
    .define({ name: 'offset.flush.timeout.ms', type: 'long', default: 5000, validator: Validators.atLeast(0), importance: 'low', doc: 'How long an offset flush may wait for outstanding records.' })
    .define({ name: 'task.shutdown.graceful.timeout.ms', type: 'long', default: 5000, validator: Validators.atLeast(0), importance: 'low', doc: 'How long a task gets to stop before it is abandoned.' })
    .define({ name: 'offset.storage.topic', type: 'string', default: 'connect-offsets', importance: 'high', doc: 'Compacted topic of source offsets.' })
    .define({ name: 'offset.storage.partitions', type: 'int', default: 25, validator: Validators.atLeast(1), importance: 'low', doc: 'Partitions of the offset topic when it is created.' })
    .define({ name: 'offset.storage.replication.factor', type: 'short', default: 3, importance: 'low', doc: 'Replication factor of the offset topic (Kafka only).' })
    .define({ name: 'offset.storage.file.filename', type: 'string', default: '', importance: 'low', doc: 'Kafka standalone\'s offset file (Java-serialized, as FileOffsetBackingStore writes it). tsconnect keeps offsets in the offset topic and this file beside it: offsets another process (Kafka Connect, Debezium\'s embedded engine) wrote to it since tsconnect last did are imported at start, and the file is rewritten after each offset commit, so the worker can move back. Empty: no file.' })
    .define({ name: 'config.storage.topic', type: 'string', default: 'connect-configs', importance: 'high', doc: 'Compacted topic of connector configs.' })
    .define({ name: 'config.storage.replication.factor', type: 'short', default: 3, importance: 'low', doc: 'Replication factor of the config topic (Kafka only).' })
    .define({ name: 'status.storage.topic', type: 'string', default: 'connect-status', importance: 'high', doc: 'Compacted topic of connector and task statuses.' })
    .define({ name: 'status.storage.partitions', type: 'int', default: 5, validator: Validators.atLeast(1), importance: 'low', doc: 'Partitions of the status topic when it is created.' })
    .define({ name: 'status.storage.replication.factor', type: 'short', default: 3, importance: 'low', doc: 'Replication factor of the status topic (Kafka only).' })
    .define({ name: 'plugin.path', type: 'list', default: [], importance: 'low', doc: 'Directories of extra plugins: each JavaScript module in them that exports `plugins` (PluginDescriptor[]) is loaded.' })
    .define({ name: 'config.providers', type: 'list', default: [], importance: 'low', doc: 'Aliases of config providers (config.providers.<alias>.class) resolving ${alias:path:key} in connector configs.' })
    .define({ name: 'topic.creation.enable', type: 'boolean', default: true, importance: 'low', doc: 'Whether source connectors may create topics with topic.creation.* settings.' })
    .define({ name: 'client.id', type: 'string', default: '', importance: 'low', doc: 'Client id prefix for the log clients.' })
    .define({ name: 'metrics.recording.level', type: 'string', default: 'INFO', importance: 'low', doc: 'Accepted for compatibility.' })
    .define({ name: 'connector.client.config.override.policy', type: 'string', default: 'All', importance: 'medium', doc: 'Which producer./consumer. overrides a connector config may carry.' })
    .define({ name: 'exactly.once.source.support', type: 'string', default: 'disabled', importance: 'low', doc: 'Accepted for compatibility (distributed mode with Kafka only).' });
}

/** Keys a worker file may carry that belong to clients or providers, not to the worker itself. */
export const WORKER_PASSTHROUGH_PREFIXES = ['producer.', 'consumer.', 'admin.', 'config.providers.', 'key.converter.', 'value.converter.', 'header.converter.', 'listeners.', 'rest.', 'ssl.', 'sasl.', 'security.', 'metric.', 'metrics.', 'internal.'];
