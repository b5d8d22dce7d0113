/**
 * Boots a standalone worker: log, plugins, internal stores, worker, herder and REST server, in
 * that order, and stops them in reverse. Used by bin/connect-standalone, the tests and the bench.
 */
import { hostname } from 'node:os';
import { getLogger } from './api/logger.js';
import { createConfigTransformer } from './config/providers/index.js';
import { StandaloneHerder } from './herder/standalone-herder.js';
import type { TargetState } from './herder/herder.js';
import { openLog } from './log/open.js';
import type { Log } from './log/log.js';
import { MetricsRegistry } from './metrics/registry.js';
import { ConfigStore } from './stores/config-store.js';
import { OffsetFileMirror } from './stores/offset-file.js';
import { OffsetStore } from './stores/offset-store.js';
import { StatusStore } from './stores/status-store.js';
import { builtinPlugins } from './worker/builtin-plugins.js';
import { PluginRegistry } from './worker/plugins.js';
import { WORKER_PASSTHROUGH_PREFIXES, workerConfigSpec } from './worker/worker-config.js';
import { Worker } from './worker/worker.js';
import { startRestServer, type RestServer } from '../rest-api/server.js';

const log = getLogger('standalone');

export interface StandaloneWorker {
  herder: StandaloneHerder;
  rest: RestServer;
  log: Log;
  stop(): Promise<void>;
}

export interface ConnectorToCreate {
  name: string;
  config: Record<string, string>;
  initialState?: TargetState;
}

export async function startStandalone(workerProps: Record<string, string>, connectors: ConnectorToCreate[] = []): Promise<StandaloneWorker> {
  const started = Date.now();
  const spec = workerConfigSpec();
  const config = spec.parse(workerProps, 'worker config');
  const unknown = config.unknownKeys(WORKER_PASSTHROUGH_PREFIXES);
  if (unknown.length > 0) log.warn(`These worker configurations were supplied but are not known keys: ${unknown.join(', ')}`);

  const plugins = new PluginRegistry(builtinPlugins());
  await plugins.loadPluginPath(config.getList('plugin.path'));
  const providers = createConfigTransformer(workerProps);
  const theLog = openLog({ 'bootstrap.servers': config.getList('bootstrap.servers').join(','), 'embedded.log.dir': config.getString('embedded.log.dir') ?? undefined });
  const configStore = new ConfigStore(theLog, config.requireString('config.storage.topic'));
  const offsetStore = new OffsetStore(theLog, config.requireString('offset.storage.topic'), config.getInt('offset.storage.partitions'));
  const statusStore = new StatusStore(theLog, config.requireString('status.storage.topic'), config.getInt('status.storage.partitions'));
  await Promise.all([configStore.start(), offsetStore.start(), statusStore.start()]);
  // Kafka standalone's offset file: imported when Kafka Connect wrote it last, kept in step after.
  const offsetFile = config.getString('offset.storage.file.filename') ? new OffsetFileMirror(offsetStore, config.requireString('offset.storage.file.filename'), config.requireString('embedded.log.dir')) : null;
  await offsetFile?.start();

  const listeners = config.getList('listeners').join(',');
  const firstPort = /:(\d+)\/?$/.exec(config.getList('listeners')[0] ?? '')?.[1] ?? '8083';
  const host = config.getString('rest.advertised.host.name') || hostname();
  const advertisedPort = config.getNumber('rest.advertised.port');
  const metrics = new MetricsRegistry();
  const worker = new Worker({
    workerId: `${host}:${advertisedPort ?? firstPort}`,
    workerConfig: config,
    log: theLog,
    plugins,
    offsetStore,
    metrics,
    resolveConfig: (c) => providers.transform(c),
  });
  const herder = new StandaloneHerder({ worker, log: theLog, plugins, configStore, offsetStore, statusStore, metrics });
  const rest = await startRestServer(herder, { listeners });
  log.info(`REST server listening at ${rest.url} after ${Date.now() - started} ms`);
  worker.setWorkerId(`${host}:${advertisedPort ?? rest.port}`);
  await herder.start();
  for (const c of connectors) await herder.putConnectorConfig(c.name, c.config, { allowReplace: true, initialState: c.initialState });
  log.info(`Kafka Connect (tsconnect) started in ${Date.now() - started} ms; REST API at ${rest.url}, log ${theLog.description}`);

  let stopping: Promise<void> | null = null;
  return {
    herder,
    rest,
    log: theLog,
    stop: () => {
      stopping ??= (async () => {
        await rest.close();
        await herder.stop();
        await offsetFile?.stop();
        await Promise.all([configStore.stop(), offsetStore.stop(), statusStore.stop()]);
        await providers.close();
        await theLog.close();
        log.info('Kafka Connect (tsconnect) stopped');
      })();
      return stopping;
    },
  };
}
