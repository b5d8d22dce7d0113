import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, ensureBuilt, startCli, tempDir, tsconnect } from './run-cli.js';

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

const KEYED = ['--property', 'parse.key=true', '--property', 'key.separator=:'];
const PRINT_ALL = ['--property', 'print.key=true', '--property', 'print.headers=true', '--property', 'print.offset=true'];

describe('tsconnect produce and consume', () => {
  it('produces lines with keys and headers and consumes them from the beginning', async () => {
    const dir = await logDir('roundtrip');
    await tsconnect(dir, ['topics', '--create', '--topic', 'events']);
    const input = 'trace:abc,source:web\tuser-1:{"clicks":1}\nkind:plain\tuser-2:second line\ntrace:def\tuser-1:{"clicks":2}\n';
    const produced = await tsconnect(dir, ['produce', '--topic', 'events', ...KEYED, '--property', 'parse.headers=true'], { input });
    expect(produced).toMatchObject({ code: 0, stderr: '' });

    const consumed = await tsconnect(dir, ['consume', '--topic', 'events', '--from-beginning', '--timeout-ms', '1500', ...PRINT_ALL, '--property', 'key.separator= | ']);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout).toBe(
      'Offset:0 | trace:abc,source:web | user-1 | {"clicks":1}\n' +
        'Offset:1 | kind:plain | user-2 | second line\n' +
        'Offset:2 | trace:def | user-1 | {"clicks":2}\n',
    );
    expect(consumed.stderr).toBe('Processed a total of 3 messages\n');
  });

  it('puts equal keys in the same partition of a multi-partition topic and reads one partition from an offset', async () => {
    const dir = await logDir('partitions');
    await tsconnect(dir, ['topics', '--create', '--topic', 'p3', '--partitions', '3']);
    const lines = Array.from({ length: 30 }, (_, i) => `key-${i % 3}:v${i}`).join('\n');
    expect((await tsconnect(dir, ['produce', '--topic', 'p3', ...KEYED], { input: `${lines}\n` })).code).toBe(0);

    const all = await tsconnect(dir, ['consume', '--topic', 'p3', '--from-beginning', '--max-messages', '30', '--property', 'print.partition=true', '--property', 'print.key=true']);
    const partitionOf = new Map<string, Set<string>>();
    for (const line of all.stdout.trimEnd().split('\n')) {
      const [partition, key] = line.split('\t') as [string, string];
      partitionOf.set(key, (partitionOf.get(key) ?? new Set()).add(partition));
    }
    expect([...partitionOf.values()].map((s) => s.size)).toEqual([1, 1, 1]);

    const [somePartition] = [...partitionOf.get('key-0')!];
    const p = somePartition!.replace('Partition:', '');
    const one = await tsconnect(dir, ['consume', '--topic', 'p3', '--partition', p, '--offset', '2', '--max-messages', '1', '--property', 'print.offset=true', '--property', 'print.partition=true']);
    expect(one.stdout).toMatch(new RegExp(`^Partition:${p}\\tOffset:2\\tv\\d+\\n$`));
  });

  it('commits offsets for a group, so a second run sees only what is new', async () => {
    const dir = await logDir('group');
    await tsconnect(dir, ['produce', '--topic', 'jobs'], { input: 'a\nb\nc\n' });
    const consume = (extra: string[] = []) => tsconnect(dir, ['consume', '--topic', 'jobs', '--group', 'workers', '--from-beginning', '--timeout-ms', '1500', ...extra]);

    expect((await consume(['--max-messages', '2'])).stdout).toBe('a\nb\n');
    expect((await consume()).stdout).toBe('c\n');
    const nothing = await consume();
    expect(nothing).toMatchObject({ code: 0, stdout: '', stderr: 'Processed a total of 0 messages\n' });

    await tsconnect(dir, ['produce', '--topic', 'jobs'], { input: 'd\n' });
    expect((await consume()).stdout).toBe('d\n');
  });

  it('starts at the end without --from-beginning', async () => {
    const dir = await logDir('latest');
    await tsconnect(dir, ['produce', '--topic', 'old'], { input: 'x\ny\n' });
    const result = await tsconnect(dir, ['consume', '--topic', 'old', '--timeout-ms', '1000']);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: 'Processed a total of 0 messages\n' });
  });

  it('stops on SIGINT and reports what it printed', async () => {
    const dir = await logDir('sigint');
    await tsconnect(dir, ['produce', '--topic', 'live'], { input: 'first\n' });
    const child = startCli('tsconnect.js', ['consume', '--topic', 'live', '--from-beginning', '--log-dir', dir]);
    const done = collect(child);
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    child.kill('SIGINT');
    expect(await done).toMatchObject({ code: 0, stdout: 'first\n', stderr: 'Processed a total of 1 messages\n' });
  });

  it('names the bad line, keeps the lines before it, and exits 1', async () => {
    const dir = await logDir('bad-line');
    const result = await tsconnect(dir, ['produce', '--topic', 'strict', ...KEYED], { input: 'k1:v1\nno separator here\nk3:v3\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`tsconnect produce: no key separator ":" on line 2: 'no separator here'\n`);
    const kept = await tsconnect(dir, ['consume', '--topic', 'strict', '--from-beginning', '--timeout-ms', '1000']);
    expect(kept.stdout).toBe('v1\n');
  });

  it('exits 2 on unknown options and properties', async () => {
    const dir = await logDir('usage');
    expect((await tsconnect(dir, ['produce', '--topic', 't', '--propery', 'x=y'])).code).toBe(2);
    const badProp = await tsconnect(dir, ['consume', '--topic', 't', '--property', 'print.keys=true']);
    expect(badProp.code).toBe(2);
    expect(badProp.stderr).toMatch(/unknown --property print\.keys/);
    expect((await tsconnect(dir, ['consume', '--topic', 't', '--offset', '3'])).stderr).toMatch(/--offset needs --partition/);
  });
});
