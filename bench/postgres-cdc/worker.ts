/**
 * The tsconnect side of the CDC bench: a connect-standalone process per phase (started as a user
 * starts it), the connector deployed over REST, and the worker's embedded log read from the bench
 * process (SQLite in WAL mode serves a second reader while the worker writes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { launcherNodeArgs } from '../../test/harness/launcher-args.js';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { cdcConnectionConfig, type PostgresCluster } from '../../test/harness/postgres.js';
import { http } from '../../test/harness/worker-process.js';
import { openEmbeddedLog, type EmbeddedLog } from '../../runtime/log/embedded/log.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Polls `fn` until it returns a value; an error thrown by `fn` ends the wait at once. */
async function until<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface WorkerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
}

/** connect-standalone with no connector files, on an embedded log in `dir` and an ephemeral REST port. */
async function spawnWorker(dir: string, nodeArgs: string[]): Promise<WorkerProcess> {
  const props = join(dir, 'worker.properties');
  await writeFile(props, [`embedded.log.dir=${join(dir, 'log')}`, 'listeners=http://127.0.0.1:0', 'offset.flush.interval.ms=10000', ''].join('\n'));
  const bin = join(ROOT, 'bin/connect-standalone.js');
  // The shebang's Node flags too: the worker runs as `npx connect-standalone` runs it.
  const child = spawn(process.execPath, [...launcherNodeArgs(bin), ...nodeArgs, bin, props], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  // Kept short: a long snapshot logs progress lines.
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = await until(async () => {
    if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}:\n${out}`);
    return /REST API at (http:\/\/\S+?),/.exec(out)?.[1];
  }, 60_000, 'the worker REST API');
  return { child, url, output: () => out };
}

export interface BenchWorker {
  readonly process: WorkerProcess;
  /** Deploys the Debezium Postgres connector; resolves when its task is RUNNING. */
  deploy(name: string, config: Record<string, string>): Promise<void>;
  /** Records in the topic so far (0 while it does not exist). */
  count(topic: string): Promise<number>;
  /** Resolves with the time (ms, hrtime) at which the topic first held `n` records. */
  waitFor(topic: string, n: number, timeoutMs: number): Promise<number>;
  /**
   * When (epoch ms) the worker appended the topic's first record: the log timestamp the producer
   * gave it (the records carry none of their own). A waitFor's polls see it later: the bench
   * watches the log only after deploy() has polled the task's status to RUNNING.
   */
  firstAppendedAt(topic: string): Promise<number>;
  /** A task metric of the connector's task 0 from `GET /metrics` (e.g. batch_size_avg). */
  taskMetric(connector: string, name: string): Promise<number>;
  /** Peak resident set of the worker process so far, MB. */
  peakRssMb(): number;
  /**
   * CPU time the worker has used so far, ms: its main thread (where the task polls, converts and
   * appends) and the whole process (with V8's GC helper threads and libuv's pool). Less
   * noisy than a rate on a shared machine: subtract a reading taken before the timed work.
   */
  cpuMs(): { main: number; process: number };
  /** Each record's log timestamp minus its event's source.ts_us (ms), for records committed at or after `fromMs`. */
  commitToLogDelays(topic: string, fromMs: number): Promise<{ delays: number[]; valueBytes: number }>;
  stop(): Promise<void>;
}

/** utime + stime of a /proc stat file, ms (fields 14 and 15, in clock ticks of 10 ms on Linux). */
function statCpuMs(path: string): number {
  const stat = readFileSync(path, 'utf8');
  // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function connectorConfig(cluster: PostgresCluster, prefix: string, table: string, extra: Record<string, string>): Record<string, string> {
  return {
    ...cdcConnectionConfig(cluster),
    'topic.prefix': prefix,
    'table.include.list': `public\\.${table}`,
    ...extra,
  };
}

/** Starts a worker in `dir`; with `cpuProfDir`, the worker writes a V8 CPU profile there when it exits. */
export async function startBenchWorker(dir: string, cpuProfDir: string | null): Promise<BenchWorker> {
  if (cpuProfDir) await mkdir(cpuProfDir, { recursive: true });
  // (--cpu-prof is not allowed in NODE_OPTIONS.)
  const proc = await spawnWorker(dir, cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []);
  let log: EmbeddedLog | null = null;
  const openLog = (): EmbeddedLog => (log ??= openEmbeddedLog(join(dir, 'log'), { autoCreateTopics: false, cleanerIntervalMs: 0 }));
  let hwmKb = 0;
  const sampleRss = (): void => {
    if (proc.child.exitCode !== null) return;
    try {
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.child.pid}/status`, 'utf8'))?.[1] ?? 0);
      hwmKb = Math.max(hwmKb, kb);
    } catch {
      // the process is exiting
    }
  };
  const count = async (topic: string): Promise<number> => {
    const admin = openLog().admin();
    if (!(await admin.describeTopic(topic))) return 0;
    return (await admin.offsets(topic)).reduce((n, p) => n + p.latest - p.earliest, 0);
  };
  return {
    process: proc,
    async firstAppendedAt(topic) {
      const l = openLog();
      const consumer = l.consumer({ maxPollRecords: 1 });
      let first = Infinity;
      try {
        // Partition by partition: one poll returns records of one of them.
        for (const p of await l.admin().offsets(topic)) {
          if (p.latest === p.earliest) continue;
          const tp = [{ topic, partition: p.partition }];
          await consumer.assign(tp);
          await consumer.seekToBeginning(tp);
          const [r] = await consumer.poll(1000);
          if (r) first = Math.min(first, r.timestamp);
        }
      } finally {
        await consumer.close();
      }
      if (first === Infinity) throw new Error(`${topic} has no records`);
      return first;
    },
    async deploy(name, config) {
      const res = await http('POST', `${proc.url}/connectors`, { name, config });
      if (res.status !== 201) throw new Error(`deploying ${name}: ${res.status} ${JSON.stringify(res.body)}`);
      await until(async () => {
        const status = (await http('GET', `${proc.url}/connectors/${name}/status`)).body as { tasks?: Array<{ state: string; trace?: string }> };
        const task = status.tasks?.[0];
        if (task?.state === 'FAILED') throw new Error(`task failed: ${task.trace}`);
        return task?.state === 'RUNNING';
      }, 30_000, `${name} RUNNING`);
    },
    count,
    async waitFor(topic, n, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (proc.child.exitCode !== null) throw new Error(`worker exited: ${proc.output().slice(-2000)}`);
        const have = await count(topic);
        if (have >= n) return Number(process.hrtime.bigint()) / 1e6;
        if (Date.now() > deadline) throw new Error(`${topic} did not reach ${n} records in ${timeoutMs} ms (has ${await count(topic)}):\n${proc.output().slice(-2000)}`);
        sampleRss();
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async taskMetric(connector, name) {
      const text = (await http('GET', `${proc.url}/metrics`)).body as string;
      const line = text.split('\n').find((l) => l.includes(`_${name}{`) && l.includes(`connector="${connector}"`) && l.includes('task="0"'));
      return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
    },
    peakRssMb() {
      sampleRss();
      return hwmKb / 1024;
    },
    cpuMs() {
      const pid = proc.child.pid!;
      return { main: statCpuMs(`/proc/${pid}/task/${pid}/stat`), process: statCpuMs(`/proc/${pid}/stat`) };
    },
    async commitToLogDelays(topic, fromMs) {
      const l = openLog();
      const ends = await l.admin().offsets(topic);
      const consumer = l.consumer({ maxPollRecords: 10_000 });
      const tps = ends.map((e) => ({ topic, partition: e.partition }));
      await consumer.assign(tps);
      await consumer.seekToBeginning(tps);
      const want = ends.reduce((n, e) => n + e.latest - e.earliest, 0);
      const delays: number[] = [];
      let seen = 0;
      let bytes = 0;
      try {
        while (seen < want) {
          const batch = await consumer.poll(500);
          if (batch.length === 0) break;
          seen += batch.length;
          for (const r of batch) {
            if (!r.value) continue;
            bytes += r.value.length;
            const commitMs = sourceTsUs(Buffer.from(r.value)) / 1000;
            if (commitMs >= fromMs) delays.push(r.timestamp - commitMs);
          }
        }
      } finally {
        await consumer.close();
      }
      return { delays, valueBytes: seen ? bytes / seen : NaN };
    },
    async stop() {
      sampleRss();
      await log?.close();
      log = null;
      if (proc.child.exitCode === null) {
        proc.child.kill('SIGTERM');
        await once(proc.child, 'exit');
      }
    },
  };
}

/**
 * The event's source.ts_us (the commit time) from a JsonConverter envelope, found without parsing
 * the whole value: the schema part holds no `"payload":{` (a column named payload holds a string),
 * and ts_us is the first key of that name inside "source".
 */
export function sourceTsUs(value: Buffer): number {
  const text = value.toString('latin1');
  const payload = text.indexOf('"payload":{');
  const source = payload < 0 ? -1 : text.indexOf('"source":{', payload);
  const at = source < 0 ? -1 : text.indexOf('"ts_us":', source);
  if (at < 0) throw new Error(`no payload.source.ts_us in ${text.slice(0, 200)}`);
  const m = /"ts_us":(\d+)/y;
  m.lastIndex = at;
  return Number(m.exec(text)![1]);
}
