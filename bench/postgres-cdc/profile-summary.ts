/**
 * Where a worker's CPU time goes, from a V8 `.cpuprofile` (`node --cpu-prof`): self time by area
 * of the code base (connector part, runtime module, dependency, GC) and the functions with the
 * most self and inclusive time.
 *
 *   node dist/bench/postgres-cdc/profile-summary.js <file.cpuprofile | dir> [top]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  byArea: Array<[string, number]>;
  selfTop: Array<[string, number]>;
  inclusiveTop: Array<[string, number]>;
}

/** The part of the code base a script URL belongs to. */
export function areaOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName.startsWith('(')) return functionName; // (garbage collector), (program), (idle)
    return 'native';
  }
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return `dep:${dep[1]}`;
  const own = /\/dist\/((?:connectors|runtime)\/[^/]+(?:\/[^/]+\/)?)/.exec(url);
  if (own) return own[1]!.replace(/\/$/, '').replace(/\.js$/, '');
  if (url.startsWith('node:')) return 'node';
  return url.replace(/^.*\/dist\//, '');
}

function label(frame: ProfileNode['callFrame']): string {
  const file = frame.url.replace(/^.*\/(dist|node_modules)\//, '').replace(/^file:\/\//, '');
  return `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
}

export function summarise(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const area = new Map<string, number>();
  const selfFn = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    totalMs += ms;
    if (node.callFrame.functionName === '(idle)') idleMs += ms;
    const a = areaOf(node.callFrame.url, node.callFrame.functionName);
    area.set(a, (area.get(a) ?? 0) + ms);
    const l = label(node.callFrame);
    selfFn.set(l, (selfFn.get(l) ?? 0) + ms);
    // Each function once per stack, so recursion does not count twice.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (f.functionName === '(root)') continue;
      const k = label(f);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + ms);
    }
  }
  const sorted = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  return { totalMs, idleMs, byArea: sorted(area, 25), selfTop: sorted(selfFn, top), inclusiveTop: sorted(inclusive, top) };
}

export function formatSummary(name: string, s: ProfileSummary): string {
  const busy = s.totalMs - s.idleMs;
  const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1).padStart(5)}%`;
  const lines = [`${name}: ${(s.totalMs / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s busy (percentages of busy time)`];
  lines.push('  self time by area:');
  for (const [a, ms] of s.byArea) if (a !== '(idle)') lines.push(`    ${pct(ms)}  ${a}`);
  lines.push('  functions, self time:');
  for (const [f, ms] of s.selfTop) if (!f.startsWith('(idle)')) lines.push(`    ${pct(ms)}  ${f}`);
  lines.push('  functions, inclusive time:');
  for (const [f, ms] of s.inclusiveTop) if (!f.startsWith('(idle)') && !f.startsWith('(program)')) lines.push(`    ${pct(ms)}  ${f}`);
  return lines.join('\n');
}

export function profileFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(path, f)).sort();
}

export function summariseFile(file: string, top = 15): ProfileSummary {
  return summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: profile-summary <file.cpuprofile | dir> [top]');
    process.exit(1);
  }
  const top = Number(process.argv[3] ?? 15);
  for (const f of profileFiles(target)) console.log(formatSummary(f, summariseFile(f, top)));
}
