import { describe, expect, it } from 'vitest';
import { findPlaceholders } from './placeholders.js';

describe('findPlaceholders', () => {
  it('reads alias, path and key', () => {
    expect(findPlaceholders('${file:/etc/secrets/db.properties:password}')).toEqual([
      {
        text: '${file:/etc/secrets/db.properties:password}',
        alias: 'file',
        path: '/etc/secrets/db.properties',
        key: 'password',
        start: 0,
        end: 43,
      },
    ]);
  });

  it('reads a placeholder without a path', () => {
    expect(findPlaceholders('${env:DB_PASSWORD}')).toMatchObject([{ alias: 'env', path: '', key: 'DB_PASSWORD' }]);
  });

  it('ends the path at the first colon, leaving later colons in the key', () => {
    expect(findPlaceholders('${file:/a:b:c}')).toMatchObject([{ alias: 'file', path: '/a', key: 'b:c' }]);
  });

  it('finds several placeholders with text around them', () => {
    const found = findPlaceholders('jdbc:postgresql://${env:HOST}:${env:PORT}/db?user=${file:/s.properties:user}');
    expect(found.map((p) => p.text)).toEqual(['${env:HOST}', '${env:PORT}', '${file:/s.properties:user}']);
  });

  it('ignores text that is not a placeholder', () => {
    expect(findPlaceholders('${no-colon} $env:X {env:Y} ${env:unclosed')).toEqual([]);
  });
});
