/** Picks the Log a worker runs on from its config, as Kafka Connect picks its cluster. */
import { openEmbeddedLog } from './embedded/log.js';
import { LogError, type Log } from './log.js';

export const DEFAULT_EMBEDDED_LOG_DIR = '/tmp/tsconnect-data';

export interface LogConfig {
  'bootstrap.servers'?: string;
  'embedded.log.dir'?: string;
}

export function openLog(config: LogConfig): Log {
  const servers = config['bootstrap.servers']?.trim();
  if (servers) {
    throw new LogError('the Kafka backend (bootstrap.servers) is not available yet in this build', 'KAFKA_BACKEND_UNAVAILABLE', false);
  }
  return openEmbeddedLog(config['embedded.log.dir']?.trim() || DEFAULT_EMBEDDED_LOG_DIR);
}
