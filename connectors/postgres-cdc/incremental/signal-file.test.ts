import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SignalFile, parseLine } from './signal-file.js';

describe('signal file', () => {
  it('reads lines as Debezium does: data as the JSON text of its value', () => {
    expect(parseLine('{"id":"a","type":"execute-snapshot","data":{"data-collections":["public.t"]}}')).toEqual({ id: 'a', type: 'execute-snapshot', data: '{"data-collections":["public.t"]}' });
    expect(parseLine('{"id":7,"type":"log","data":"{\\"message\\":\\"m\\"}"}')).toEqual({ id: '7', type: 'log', data: '{"message":"m"}' });
    expect(parseLine('{"id":"a","type":"pause-snapshot"}')).toEqual({ id: 'a', type: 'pause-snapshot', data: null });
    expect(parseLine('[1]')).toBe('not a JSON object');
    expect(parseLine('{"type":"log"}')).toBe('it needs "id" and "type"');
    expect(parseLine('{')).toMatch(/^not JSON/);
  });

  it('takes every signal written, empties the file, and reads nothing when there is no file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sigfile-'));
    try {
      const file = new SignalFile(join(dir, 'signals.txt'));
      expect(await file.read()).toEqual([]);
      await writeFile(file.path, '{"id":"1","type":"pause-snapshot"}\n\n{"id":"2","type":"resume-snapshot"}');
      expect((await file.read()).map((s) => s.id)).toEqual(['1', '2']);
      expect(await readFile(file.path, 'utf8')).toBe('');
      expect(await file.read()).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
