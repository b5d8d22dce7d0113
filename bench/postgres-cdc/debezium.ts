/**
 * The Debezium side of the CDC bench (`--debezium`): Debezium's own Postgres connector on its
 * embedded engine in a JVM (bench/debezium, built with Maven on first use), records serialized by
 * Kafka's JsonConverter with schemas.enable=true and counted. One JVM per run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PostgresCluster } from '../../test/harness/postgres.js';

/** The repository: two levels up from the source, three from dist/ (the bench runs built, the tests from source). */
const ROOT = [resolve(import.meta.dirname, '../..'), resolve(import.meta.dirname, '../../..')].find((d) => existsSync(join(d, 'bench/debezium/pom.xml'))) ?? resolve(import.meta.dirname, '../../..');
export const DEBEZIUM_DIR = join(ROOT, 'bench/debezium');
export const BUILD_COMMAND = 'mvn -q -f bench/debezium/pom.xml package';
const JAR = join(DEBEZIUM_DIR, 'target/debezium-bench.jar');
const LIB = join(DEBEZIUM_DIR, 'target/lib');
/** Extra JVM options, e.g. DEBEZIUM_BENCH_JVM_OPTS='-Xmx512m'; none by default. */
const JVM_OPTS = (process.env.DEBEZIUM_BENCH_JVM_OPTS ?? '').split(/\s+/).filter(Boolean);

export interface DebeziumSetup {
  /** For the output: Java version, JVM options, heap, collector. */
  describe: string;
}

export interface DebeziumRun {
  /** Engine start (inside the JVM) to the Nth record. */
  ms: number;
  firstMs: number;
  /** Spawning the JVM to the Nth record: the above plus JVM start and class loading. */
  wallMs: number;
  count: number;
  keyBytes: number;
  valueBytes: number;
  rssMb: number;
  version: string;
  /** The end of its standard error: logs, and the records `--show-topics`/`--show-all` print. */
  stderr: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds bench/debezium when its jar is missing or older than its sources; returns null, having
 * said why, when Java or Maven is not there.
 */
export function prepareDebezium(): DebeziumSetup | null {
  const java = spawnSync('java', ['-XX:+PrintFlagsFinal', ...JVM_OPTS, '-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) {
    console.log(`--debezium: skipped, no usable 'java' on PATH (${java.error?.message ?? java.stderr.trim()}); Debezium 3.x needs Java 17+`);
    return null;
  }
  const sources = Math.max(statSync(join(DEBEZIUM_DIR, 'pom.xml')).mtimeMs, newestMtime(join(DEBEZIUM_DIR, 'src')));
  if (!existsSync(JAR) || !existsSync(LIB) || statSync(JAR).mtimeMs < sources) {
    console.log(`--debezium: building bench/debezium (${BUILD_COMMAND}); the first build downloads Debezium and Kafka Connect from Maven Central`);
    const started = Date.now();
    // Quiet Maven still writes colour resets; its output is shown only when the build fails.
    const mvn = spawnSync('mvn', ['-q', '-B', '-f', join(DEBEZIUM_DIR, 'pom.xml'), 'package'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (mvn.error && existsSync(JAR) && existsSync(LIB)) {
      console.log(`--debezium: Maven ('mvn') not found (${mvn.error.message}); using the existing build, older than its sources (rebuild with: ${BUILD_COMMAND})`);
    } else if (mvn.error) {
      console.log(`--debezium: skipped, Maven ('mvn') not found (${mvn.error.message}); install it or build elsewhere with: ${BUILD_COMMAND}`);
      return null;
    } else if (mvn.status !== 0) {
      throw new Error(`${BUILD_COMMAND} failed with exit code ${mvn.status}:\n${(mvn.stdout + mvn.stderr).replace(/\x1b\[[0-9;]*m/g, '')}`);
    } else {
      console.log(`--debezium: built in ${Math.round((Date.now() - started) / 1000)} s`);
    }
  }
  const flags = java.stdout;
  const flag = (name: string) => new RegExp(`\\b${name}\\s*=\\s*(\\S+)`).exec(flags)?.[1];
  const gc = ['G1', 'Serial', 'Parallel', 'Z', 'Shenandoah'].find((g) => flag(`Use${g}GC`) === 'true') ?? 'unknown';
  const heapMb = Math.round(Number(flag('MaxHeapSize') ?? NaN) / 1024 / 1024);
  const version = /version "([^"]+)"/.exec(java.stderr)?.[1] ?? '?';
  const opts = JVM_OPTS.length ? JVM_OPTS.join(' ') : 'no JVM options (default heap)';
  return { describe: `Java ${version}, ${opts}: max heap ${heapMb} MB, ${gc} GC` };
}

export interface DebeziumRunOptions {
  slot: string;
  publication: string;
  table: string;
  snapshotMode: string;
  expect: number;
  timeoutMs: number;
  /** Further connector properties, e.g. publication.autocreate.mode. */
  extra?: Record<string, string>;
  /** Print each counted record's topic and key to standard error (`stderr` of the result). */
  showTopics?: boolean;
  /** How much of the end of standard error to keep (default 20,000 characters). */
  stderrChars?: number;
}

/** Runs one JVM until it has counted `expect` change records of `table`, then waits for it to exit. */
export async function runDebezium(cluster: PostgresCluster, o: DebeziumRunOptions): Promise<DebeziumRun> {
  const args = [...JVM_OPTS, '-cp', `${JAR}:${LIB}/*`, 'bench.DebeziumCount',
    `--expect=${o.expect}`, `--host=${cluster.host}`, `--port=${cluster.port}`, `--user=${cluster.user}`,
    `--password=${cluster.password}`, `--dbname=${cluster.database}`, `--slot=${o.slot}`,
    `--publication=${o.publication}`, `--tables=public\\.${o.table}`, `--snapshot-mode=${o.snapshotMode}`,
    ...Object.entries(o.extra ?? {}).map(([k, v]) => `--set=${k}=${v}`), ...(o.showTopics ? ['--show-topics=true'] : [])];
  const started = Number(process.hrtime.bigint()) / 1e6;
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let hwmKb = 0;
  const sampleRss = (): void => {
    try {
      hwmKb = Math.max(hwmKb, Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0));
    } catch {
      // exiting
    }
  };
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const keep = o.stderrChars ?? 20_000;
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    // Cut only when twice over: cutting on every chunk copies the whole kept text each time.
    if (err.length > 2 * keep) err = err.slice(-keep);
  });
  const line = await new Promise<string>((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error(`Debezium did not count ${o.expect} records in ${o.timeoutMs} ms:\n${err.slice(-3000)}`)), o.timeoutMs);
    const rss = setInterval(sampleRss, 100);
    const settle = () => {
      clearTimeout(timer);
      clearInterval(rss);
    };
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        settle();
        resolveLine(out.slice(0, nl));
      }
    });
    void exited.then((code) => {
      settle();
      reject(new Error(`Debezium exited with ${code} before its result:\n${err.slice(-3000)}`));
    });
  }).catch(async (e: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw e;
  });
  const wallMs = Number(process.hrtime.bigint()) / 1e6 - started;
  sampleRss();
  const r = JSON.parse(line) as { ms: number; firstMs: number; count: number; keyBytes: number; valueBytes: number; vmHwmKb: number; debezium: string };
  // The slot must be released before the bench drops inactive slots.
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
  return { ms: r.ms, firstMs: r.firstMs, wallMs, count: r.count, keyBytes: r.keyBytes, valueBytes: r.valueBytes, rssMb: Math.max(hwmKb, r.vmHwmKb) / 1024, version: r.debezium, stderr: err.slice(-keep) };
}
