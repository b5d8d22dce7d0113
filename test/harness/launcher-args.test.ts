import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launcherNodeArgs } from './launcher-args.js';

describe('launcherNodeArgs', () => {
  it("reads the Node flags of a bin script's shebang, as npx runs it", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsconnect-launcher-'));
    try {
      const cases: Array<[string, string[]]> = [
        ['#!/usr/bin/env -S node --max-semi-space-size=8', ['--max-semi-space-size=8']],
        ['#!/usr/bin/env node', []],
        ['#!/usr/local/bin/node --a --b=1', ['--a', '--b=1']],
      ];
      for (const [i, [shebang, args]] of cases.entries()) {
        const f = join(dir, `bin${i}.js`);
        await writeFile(f, `${shebang}\nimport './x.js';\n`);
        expect(launcherNodeArgs(f)).toEqual(args);
      }
      expect(launcherNodeArgs(join(__dirname, '../../bin/connect-standalone.js'))).toEqual(['--max-semi-space-size=8', '--no-allocation-site-pretenuring']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
