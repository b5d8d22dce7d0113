import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, tempDir, tsconnect } from './run-cli.js';

const dirs: Array<{ remove(): Promise<void> }> = [];
async function logDir(name: string): Promise<string> {
  const d = await tempDir(name);
  dirs.push(d);
  return d.path;
}

beforeAll(() => ensureBuilt());
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => d.remove()));
});

describe('tsconnect topics', () => {
  it('creates, lists, describes, alters and deletes topics', async () => {
    const dir = await logDir('topics');
    const created = await tsconnect(dir, ['topics', '--create', '--topic', 'orders', '--partitions', '3', '--config', 'cleanup.policy=compact']);
    expect(created).toMatchObject({ code: 0, stdout: 'Created topic orders.\n' });
    expect((await tsconnect(dir, ['topics', '--create', '--topic', 'audit'])).code).toBe(0);

    expect(await tsconnect(dir, ['topics', '--list'])).toMatchObject({ code: 0, stdout: 'audit\norders\n' });

    const described = await tsconnect(dir, ['topics', '--describe', '--topic', 'orders']);
    expect(described.code).toBe(0);
    const lines = described.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Topic: orders\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: cleanup.policy=compact');
    expect(lines.slice(1)).toEqual([0, 1, 2].map((p) => `\tTopic: orders\tPartition: ${p}\tEarliestOffset: 0\tLatestOffset: 0`));

    expect((await tsconnect(dir, ['topics', '--alter', '--topic', 'orders', '--partitions', '5'])).code).toBe(0);
    const all = await tsconnect(dir, ['topics', '--describe']);
    expect(all.stdout).toContain('Topic: audit\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \n');
    expect(all.stdout).toContain('Topic: orders\tPartitionCount: 5\tReplicationFactor: 1\tConfigs: cleanup.policy=compact\n');

    expect((await tsconnect(dir, ['topics', '--delete', '--topic', 'orders'])).code).toBe(0);
    expect((await tsconnect(dir, ['topics', '--list'])).stdout).toBe('audit\n');
  });

  it('fails with a clear message when the topic exists or is missing, unless told not to', async () => {
    const dir = await logDir('topics-errors');
    await tsconnect(dir, ['topics', '--create', '--topic', 't1']);
    expect(await tsconnect(dir, ['topics', '--create', '--topic', 't1'])).toMatchObject({ code: 1, stderr: "tsconnect topics: Topic 't1' already exists.\n" });
    expect((await tsconnect(dir, ['topics', '--create', '--topic', 't1', '--if-not-exists'])).code).toBe(0);
    expect(await tsconnect(dir, ['topics', '--delete', '--topic', 'nope'])).toMatchObject({ code: 1, stderr: "tsconnect topics: Topic 'nope' does not exist.\n" });
    expect((await tsconnect(dir, ['topics', '--delete', '--topic', 'nope', '--if-exists'])).code).toBe(0);
    const shrink = await tsconnect(dir, ['topics', '--alter', '--topic', 't1', '--partitions', '1']);
    expect(shrink.code).toBe(1);
    expect(shrink.stderr).toMatch(/new count must be larger/);
  });

  it('exits 2 on an unknown option, a missing --topic or two actions', async () => {
    const dir = await logDir('topics-usage');
    expect(await tsconnect(dir, ['topics', '--lst'])).toMatchObject({ code: 2, stderr: 'tsconnect topics: unknown option --lst (see tsconnect topics --help)\n' });
    expect(await tsconnect(dir, ['topics', '--create'])).toMatchObject({ code: 2, stderr: 'tsconnect topics: --create needs --topic\n' });
    expect((await tsconnect(dir, ['topics', '--list', '--delete'])).code).toBe(2);
    expect((await runCli('tsconnect.js', ['topcs'])).code).toBe(2);
    const help = await runCli('tsconnect.js', ['topics', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--partitions <n>');
  });

  it('finds the log through --worker-config, and explains that --bootstrap-server is not there yet', async () => {
    const dir = await logDir('topics-worker');
    const worker = join(dir, 'worker.properties');
    await writeFile(worker, `embedded.log.dir=${join(dir, 'data')}\n`);
    await runCli('tsconnect.js', ['topics', '--create', '--topic', 'via-worker', '--worker-config', worker]);
    expect((await tsconnect(join(dir, 'data'), ['topics', '--list'])).stdout).toBe('via-worker\n');

    const kafka = await runCli('tsconnect.js', ['topics', '--list', '--bootstrap-server', 'localhost:9092']);
    expect(kafka.code).toBe(1);
    expect(kafka.stderr).toMatch(/Kafka backend \(bootstrap.servers\) is not available yet/);
  });
});

describe('tsconnect plugins', () => {
  it('lists plugin classes with type and version, as a table or as the REST JSON', async () => {
    const table = await runCli('tsconnect.js', ['plugins']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^CLASS\s+TYPE\s+VERSION\n/);
    expect(table.stdout).toMatch(/org\.apache\.kafka\.connect\.file\.FileStreamSourceConnector\s+source\s+\d+\.\d+\.\d+/);
    expect(table.stdout).toMatch(/org\.apache\.kafka\.connect\.json\.JsonConverter\s+converter\s/);

    const json = JSON.parse((await runCli('tsconnect.js', ['plugins', '--connectors-only', '--json'])).stdout) as Array<{ class: string; type: string }>;
    expect(new Set(json.map((p) => p.type))).toEqual(new Set(['sink', 'source']));
    expect(json.map((p) => p.class)).toContain('io.debezium.connector.postgresql.PostgresConnector');
  });
});
