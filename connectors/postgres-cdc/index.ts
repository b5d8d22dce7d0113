/** The Postgres CDC connector's plugins: the connector under Debezium's class name, and Debezium's unwrap transform. */
import type { PluginDescriptor } from '../../runtime/api/index.js';
import { PostgresConnector } from './connector.js';
import { plugins as transformPlugins } from './transforms/index.js';
import { VERSION } from './version.js';

export const plugins: PluginDescriptor[] = [
  {
    kind: 'source',
    className: 'io.debezium.connector.postgresql.PostgresConnector',
    aliases: ['PostgresConnector', 'postgres-cdc'],
    version: VERSION,
    create: () => new PostgresConnector(),
  },
  ...transformPlugins,
];
