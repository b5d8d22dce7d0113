import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowedPaths } from './allowed-paths.js';

describe('AllowedPaths', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tsconnect-allowed-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('allows everything when unset or empty', () => {
    expect(AllowedPaths.parse(undefined).check('relative/x')).toBe('relative/x');
    expect(AllowedPaths.parse('').check('/anything')).toBe('/anything');
  });

  it('allows paths inside a root, normalised', () => {
    const allowed = AllowedPaths.parse(`${root}/`);
    expect(allowed.check(join(root, 'a.properties'))).toBe(join(root, 'a.properties'));
    expect(allowed.check(`${root}/x/../b`)).toBe(join(root, 'b'));
    expect(allowed.check(root)).toBe(root);
  });

  it('rejects paths outside, escapes with .., sibling prefixes and relative paths', () => {
    const allowed = AllowedPaths.parse(root);
    expect(() => allowed.check('/etc/passwd')).toThrow(`path '/etc/passwd' is not inside allowed.paths (${root})`);
    expect(() => allowed.check(`${root}/../escape`)).toThrow('is not inside allowed.paths');
    expect(() => allowed.check(`${root}-sibling/x`)).toThrow('is not inside allowed.paths');
    expect(() => allowed.check('x.properties')).toThrow('is not inside allowed.paths');
  });

  it('accepts a comma list of roots', () => {
    const allowed = AllowedPaths.parse(`/tmp, ${root}`);
    expect(allowed.check(join(root, 'k'))).toBe(join(root, 'k'));
  });

  it('rejects relative and missing roots', () => {
    expect(() => AllowedPaths.parse('secrets')).toThrow("allowed.paths: path 'secrets' is not absolute");
    expect(() => AllowedPaths.parse(join(root, 'missing'))).toThrow('does not exist');
  });
});
