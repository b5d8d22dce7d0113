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
    // One round trip for all three checks: on a remote database each query is a network wait
    // before the connector can be created.
    const mustExist = config.getString('publication.autocreate.mode') === 'disabled' ? config.requireString('publication.name') : null;
    const { rows } = await client.query<{ wal_level: string; rolreplication: boolean | null; rolsuper: boolean | null; publication: boolean }>(
      `SELECT current_setting('wal_level') AS wal_level, r.rolreplication, r.rolsuper,
              EXISTS (SELECT 1 FROM pg_publication WHERE pubname = $1) AS publication
         FROM (SELECT 1) one LEFT JOIN pg_roles r ON r.rolname = current_user`,
      [mustExist ?? ''],
    );
    const check = rows[0]!;
    if (check.wal_level !== 'logical') problems.push({ key: 'database.hostname', message: `Postgres server wal_level property must be 'logical' but is: '${check.wal_level}'` });
    if (!check.rolreplication && !check.rolsuper) {
      problems.push({ key: 'database.user', message: `User '${config.getString('database.user')}' has no REPLICATION privilege: ALTER ROLE ${config.getString('database.user')} WITH REPLICATION` });
    }
    if (mustExist !== null && !check.publication) problems.push({ key: 'publication.name', message: `Publication '${mustExist}' does not exist and publication.autocreate.mode is 'disabled'` });
  } finally {
    await client.end();
  }
  return problems;
}
