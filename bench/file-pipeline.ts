/**
 * Benchmark: a 1,000,000-line file through the embedded log into a file, on a standalone worker
 * process started as a user starts it. Prints records/s, p50/p99 delay from log append (right
 * after the source read) to sink write, the worker's peak RSS and its REST start time, beside the
 * time `cat` takes to copy the same file, measured in the same run. Medians of RUNS runs.
 *
 *   npm run build && node dist/bench/file-pipeline.js [lines] [runs]
 */
import { spawn, spawnSync } from 'node:child_process';
import { launcherNodeArgs } from '../test/harness/launcher-args.js';
import { createWriteStream, openSync, closeSync, readFileSync, existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const LINES = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 3);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function makeInput(path: string): Promise<number> {
  const out = createWriteStream(path);
  let chunk = '';
  for (let i = 1; i <= LINES; i++) {
    chunk += `${String(i).padStart(8, '0')} the quick brown fox jumps over the lazy dog\n`;
    if (i % 10000 === 0) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return (await stat(path)).size;
}

function timeCat(input: string, output: string): number {
  const fd = openSync(output, 'w');
  const t0 = process.hrtime.bigint();
  spawnSync('cat', [input], { stdio: ['ignore', fd, 'inherit'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  closeSync(fd);
  return ms;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

interface RunResult {
  restReadyMs: number;
  recordsPerSec: number;
  p50: number;
  p99: number;
  peakRssMb: number;
}

async function runWorker(dir: string, input: string, size: number): Promise<RunResult> {
  const output = join(dir, 'out.txt');
  const latency = join(dir, 'latency.json');
  await writeFile(join(dir, 'worker.properties'), [
    `embedded.log.dir=${join(dir, 'log')}`,
    'listeners=http://127.0.0.1:0',
    'offset.flush.interval.ms=10000',
    `plugin.path=${join(ROOT, 'dist/bench/plugins')}`,
  ].join('\n'));
  await writeFile(join(dir, 'source.properties'), `name=bench-source\nconnector.class=FileStreamSource\nfile=${input}\ntopic=bench\n`);
  await writeFile(join(dir, 'sink.properties'), `name=bench-sink\nconnector.class=bench.TimedFileSinkConnector\nfile=${output}\ntopics=bench\nlatency.file=${latency}\n`);
  const started = Date.now();
  const bin = join(ROOT, 'bin/connect-standalone.js');
  // The shebang's Node flags too: the worker runs as `npx connect-standalone` runs it.
  const child = spawn(process.execPath, [...launcherNodeArgs(bin), bin, join(dir, 'worker.properties'), join(dir, 'source.properties'), join(dir, 'sink.properties')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  let restReadyMs = NaN;
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    if (Number.isNaN(restReadyMs) && /REST server listening at /.test(err)) restReadyMs = Date.now() - started;
  });
  const deadline = Date.now() + 300_000;
  let doneAt = 0;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`worker exited: ${err}`);
    const s = await stat(output).catch(() => ({ size: 0 }));
    if (s.size >= size) {
      doneAt = Date.now();
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  if (!doneAt) throw new Error('pipeline did not finish in time');
  const rss = peakRssMb(child.pid!);
  child.kill('SIGTERM');
  await once(child, 'exit');
  const lat = existsSync(latency) ? (JSON.parse(readFileSync(latency, 'utf8')) as { p50: number; p99: number }) : { p50: NaN, p99: NaN };
  // Throughput counts from the moment the REST API (and so the connectors) were up.
  const seconds = (doneAt - started - restReadyMs) / 1000;
  return { restReadyMs, recordsPerSec: LINES / seconds, p50: lat.p50, p99: lat.p99, peakRssMb: rss };
}

async function main(): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), 'tsconnect-bench-'));
  try {
    const input = join(base, 'in.txt');
    const size = await makeInput(input);
    const cats: number[] = [];
    const runs: RunResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      cats.push(timeCat(input, join(base, `cat-${i}.txt`)));
      const dir = await mkdtemp(join(base, `run-${i}-`));
      runs.push(await runWorker(dir, input, size));
      await rm(dir, { recursive: true, force: true });
    }
    const catMs = median(cats);
    const rps = median(runs.map((r) => r.recordsPerSec));
    console.log(`file pipeline: ${LINES} lines (${(size / 1e6).toFixed(1)} MB), embedded log, JsonConverter, ${RUNS} runs, medians`);
    console.log(`  tsconnect   ${Math.round(rps).toLocaleString('en')} records/s  (${(LINES / rps).toFixed(2)} s)`);
    console.log(`  cat         ${Math.round(LINES / (catMs / 1000)).toLocaleString('en')} lines/s    (${(catMs / 1000).toFixed(3)} s)  ratio tsconnect/cat = ${((catMs / 1000) / (LINES / rps)).toFixed(4)}`);
    console.log(`  delay append->sink write  p50 ${median(runs.map((r) => r.p50))} ms  p99 ${median(runs.map((r) => r.p99))} ms`);
    console.log(`  worker peak RSS  ${median(runs.map((r) => r.peakRssMb)).toFixed(0)} MB`);
    console.log(`  REST ready after ${median(runs.map((r) => r.restReadyMs))} ms from process start`);
    console.log(`  runs: ${runs.map((r) => `${Math.round(r.recordsPerSec)} rec/s, p99 ${r.p99} ms, ${r.peakRssMb.toFixed(0)} MB, REST ${r.restReadyMs} ms`).join(' | ')}`);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
