/** The file connectors' plugin descriptors, under Kafka's class names and short aliases. */
import type { PluginDescriptor } from '../../runtime/api/index.js';
import { FileStreamSinkConnector } from './sink-connector.js';
import { FileStreamSourceConnector } from './source-connector.js';
import { VERSION } from './version.js';

export const plugins: PluginDescriptor[] = [
  {
    kind: 'source',
    className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    aliases: ['FileStreamSource', 'FileStreamSourceConnector'],
    version: VERSION,
    create: () => new FileStreamSourceConnector(),
  },
  {
    kind: 'sink',
    className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    aliases: ['FileStreamSink', 'FileStreamSinkConnector'],
    version: VERSION,
    create: () => new FileStreamSinkConnector(),
  },
];
