/**
 * connect-distributed worker.properties: as Kafka's script, a worker that joins the Connect cluster
 * `group.id` on the Kafka cluster `bootstrap.servers`. Distributed mode shares configs, offsets and
 * statuses through Kafka topics and a Kafka consumer group, so it cannot run on the embedded log;
 * until the Kafka backend is in this build it says so and exits 1, instead of starting something
 * that would not be a cluster.
 */
import { readPropertiesFile } from '../../runtime/config/properties.js';

const USAGE = 'Usage: connect-distributed worker.properties\n';

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (argv.length !== 1) {
    process.stderr.write(USAGE);
    return argv.length === 0 ? 1 : 2;
  }
  const props = await readPropertiesFile(argv[0]!);
  const missing = ['bootstrap.servers', 'group.id'].filter((k) => !props.get(k)?.trim());
  const lines = [
    'connect-distributed: distributed mode needs the Kafka backend: a Kafka cluster in bootstrap.servers',
    'and a Connect cluster name in group.id. The Kafka backend is not in this build yet; it has only the',
    'embedded log, which serves one standalone worker.',
  ];
  if (missing.length > 0) lines.push(`${argv[0]} also lacks ${missing.join(' and ')}.`);
  lines.push('To run connectors now: connect-standalone worker.properties [connector.properties ...]');
  process.stderr.write(`${lines.join('\n')}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`connect-distributed: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
