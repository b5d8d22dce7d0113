/**
 * io.debezium.connector.postgresql.PostgresConnector: one task; validate reaches the database and
 * checks what streaming needs (wal_level=logical, the REPLICATION attribute, the publication).
 */
import { ConfigError, SourceConnector, type ConfigSpec, type ConfigValue } from '../../runtime/api/index.js';
import { postgresConfigSpec } from './config.js';
import { ColumnMappers } from './column-mappers.js';
import { connect, TlsConfigError } from './connection.js';
import { debeziumKeyProblems } from './debezium-keys.js';
import { PostgresConnectorTask } from './task.js';
import { VERSION } from './version.js';

export class PostgresConnector extends SourceConnector {
  private props: Record<string, string> = {};

  version(): string {
    return VERSION;
  }

  config(): ConfigSpec {
    return postgresConfigSpec();
  }

  start(props: Record<string, string>): void {
    postgresConfigSpec().parse(props, 'PostgresConnector');
    ColumnMappers.fromConfig(props);
    const refused = debeziumKeyProblems(props);
    if (refused.length > 0) throw new ConfigError(refused.map((p) => `${p.key}: ${p.message}`).join('\n'), Object.fromEntries(refused.map((p) => [p.key, [p.message]])));
    this.props = props;
  }

  taskClass() {
    return PostgresConnectorTask;
  }

  taskConfigs(): Array<Record<string, string>> {
    // One replication slot is read by one task.
    return [{ ...this.props }];
  }

  stop(): void {}

  override async validate(props: Record<string, string>): Promise<ConfigValue[]> {
    const spec = postgresConfigSpec();
    const values = spec.validate(props);
    // Column mapper keys are patterns (column.mask.with.<N>.chars...) and Debezium keys tsconnect
    // refuses are not in the spec: such a key gets an entry of its own.
    for (const p of [...ColumnMappers.problems(props), ...debeziumKeyProblems(props)]) {
      const entry = values.find((v) => v.name === p.key);
      if (entry) entry.errors.push(p.message);
      else values.push({ name: p.key, value: props[p.key] ?? null, recommendedValues: [], errors: [p.message], visible: true });
    }
    if (values.some((v) => v.errors.length > 0)) return values;
    const addError = (key: string, message: string) => values.find((v) => v.name === key)?.errors.push(message);
    const config = spec.parse(props);
    for (const problem of await checkDatabase(config)) addError(problem.key, problem.message);
    return values;
  }
}

export interface DatabaseProblem {
  key: string;
  message: string;
}

/** What prevents streaming from this database, each problem on the key a user would fix. */
export async function checkDatabase(config: ReturnType<ConfigSpec['parse']>): Promise<DatabaseProblem[]> {
  let client;
  try {
    client = await connect(config);
  } catch (e) {
    if (e instanceof TlsConfigError) return [{ key: e.key, message: e.message }];
    const err = e as Error & { code?: string };
    const key = err.code === '28P01' || err.code === '28000' ? 'database.password' : err.code === '3D000' ? 'database.dbname' : 'database.hostname';
    return [{ key, message: `Unable to connect to ${config.getString('database.hostname')}:${config.getInt('database.port')}/${config.getString('database.dbname')} as ${config.getString('database.user')}: ${err.message}` }];
  }
  const problems: DatabaseProblem[] = [];
  try {
    const wal = (await client.query<{ wal_level: string }>('SHOW wal_level')).rows[0]!.wal_level;
    if (wal !== 'logical') problems.push({ key: 'database.hostname', message: `Postgres server wal_level property must be 'logical' but is: '${wal}'` });
    const role = (await client.query<{ rolreplication: boolean; rolsuper: boolean }>('SELECT rolreplication, rolsuper FROM pg_roles WHERE rolname = current_user')).rows[0];
    if (!role?.rolreplication && !role?.rolsuper) {
      problems.push({ key: 'database.user', message: `User '${config.getString('database.user')}' has no REPLICATION privilege: ALTER ROLE ${config.getString('database.user')} WITH REPLICATION` });
    }
    if (config.getString('publication.autocreate.mode') === 'disabled') {
      const name = config.requireString('publication.name');
      const found = await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [name]);
      if (found.rowCount === 0) problems.push({ key: 'publication.name', message: `Publication '${name}' does not exist and publication.autocreate.mode is 'disabled'` });
    }
  } finally {
    await client.end();
  }
  return problems;
}
