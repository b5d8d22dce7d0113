/**
 * Which log a subcommand works on: the one a worker file names (`--worker-config`), an embedded log
 * directory (`--log-dir`), or a Kafka cluster (`--bootstrap-server`). Later, more specific options
 * win over the worker file, so `--worker-config w.properties --log-dir /x` reads /x.
 */
import { readPropertiesFile } from '../../../runtime/config/properties.js';
import type { Log } from '../../../runtime/log/log.js';
import { DEFAULT_EMBEDDED_LOG_DIR, openLog, type LogConfig } from '../../../runtime/log/open.js';
import { UsageError, type OptionSpec, type Parsed } from './args.js';

export const LOG_OPTIONS: OptionSpec[] = [
  { name: 'worker-config', kind: 'value', arg: '<file>', doc: 'worker properties file; its bootstrap.servers and embedded.log.dir pick the log' },
  { name: 'log-dir', kind: 'value', arg: '<dir>', doc: `embedded log directory (default ${DEFAULT_EMBEDDED_LOG_DIR})` },
  { name: 'bootstrap-server', kind: 'value', arg: '<host:port>', doc: 'a Kafka cluster instead of the embedded log' },
];

/** The worker properties file of --worker-config, or an empty map without one. */
export async function workerProperties(parsed: Parsed): Promise<Map<string, string>> {
  const file = parsed.values.get('worker-config');
  return file === undefined ? new Map() : readPropertiesFile(file);
}

export async function logConfig(parsed: Parsed, command: string): Promise<LogConfig> {
  if (parsed.values.has('log-dir') && parsed.values.has('bootstrap-server')) {
    throw new UsageError(`${command}: give either --log-dir or --bootstrap-server, not both`);
  }
  const worker = await workerProperties(parsed);
  const config: LogConfig = {};
  const servers = parsed.values.get('bootstrap-server') ?? (parsed.values.has('log-dir') ? undefined : worker.get('bootstrap.servers'));
  const dir = parsed.values.get('log-dir') ?? worker.get('embedded.log.dir');
  if (servers !== undefined) config['bootstrap.servers'] = servers;
  if (dir !== undefined) config['embedded.log.dir'] = dir;
  return config;
}

/** Opens the log, runs `fn` and closes the log whatever happens. */
export async function withLog<T>(parsed: Parsed, command: string, fn: (log: Log) => Promise<T>): Promise<T> {
  const log = openLog(await logConfig(parsed, command));
  try {
    return await fn(log);
  } finally {
    await log.close();
  }
}
