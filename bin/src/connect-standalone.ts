/**
 * connect-standalone worker.properties [connector1.properties|.json ...]
 * As Kafka's script: one worker, connectors from files, REST API on `listeners`.
 */
import { getLogger } from '../../runtime/api/logger.js';
import { readConnectorConfigFile } from '../../runtime/config/connector-file.js';
import { readPropertiesFile } from '../../runtime/config/properties.js';
import { startStandalone } from '../../runtime/standalone.js';

const log = getLogger('connect-standalone');

async function main(argv: string[]): Promise<void> {
  if (argv.length < 1 || argv[0] === '--help' || argv[0] === '-h') {
    process.stderr.write('Usage: connect-standalone worker.properties [connector1.properties connector2.json ...]\n');
    process.exit(argv.length < 1 ? 1 : 0);
  }
  const [workerFile, ...connectorFiles] = argv as [string, ...string[]];
  const workerProps = Object.fromEntries(await readPropertiesFile(workerFile));
  const connectors = [];
  for (const file of connectorFiles) {
    const c = await readConnectorConfigFile(file);
    connectors.push({ name: c.name, config: c.config, initialState: c.initialState === 'RUNNING' ? ('STARTED' as const) : c.initialState });
  }
  const worker = await startStandalone(workerProps, connectors);
  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(1);
    log.info(`${signal} received; stopping`);
    worker.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error('error while stopping', e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const err = e as Error & { errors?: Record<string, string[]> };
  process.stderr.write(`connect-standalone: ${err.message}\n`);
  process.exit(1);
});
