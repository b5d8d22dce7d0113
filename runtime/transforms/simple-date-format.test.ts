import { describe, expect, it } from 'vitest';
import { SimpleDateFormat, patternError } from './simple-date-format.js';

describe('SimpleDateFormat', () => {
  const ms = Date.UTC(2024, 0, 31, 13, 5, 9, 7);

  it('formats the common letters in UTC', () => {
    expect(new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").format(ms)).toBe('2024-01-31T13:05:09.007Z');
    expect(new SimpleDateFormat('yyyyMMdd').format(ms)).toBe('20240131');
    expect(new SimpleDateFormat("EEE, d MMM yy hh:mm a ''Z''").format(ms)).toBe("Wed, 31 Jan 24 01:05 PM '+0000'");
  });

  it('parses what it formats, abutting fields included', () => {
    for (const p of ["yyyy-MM-dd'T'HH:mm:ss.SSS", 'yyyyMMddHHmmssSSS', 'dd MMMM yyyy HH:mm:ss.SSS']) {
      const f = new SimpleDateFormat(p);
      expect(f.parse(f.format(ms))).toBe(ms);
    }
  });

  it('parses offsets, rolls over like lenient Java and rejects text that does not match', () => {
    expect(new SimpleDateFormat('yyyy-MM-dd HH:mmXXX').parse('2024-01-31 15:05+02:00')).toBe(Date.UTC(2024, 0, 31, 13, 5));
    expect(new SimpleDateFormat('yyyy-MM-dd').parse('2024-01-32')).toBe(Date.UTC(2024, 1, 1));
    expect(() => new SimpleDateFormat('yyyy-MM-dd').parse('31/01/2024')).toThrow(/Unparseable/);
  });

  it('names bad and unsupported pattern letters', () => {
    expect(patternError('yyyy-bb')).toMatch(/Illegal pattern character 'b'/);
    expect(patternError('yyyy-ww')).toMatch(/not supported/);
    expect(patternError("'open")).toMatch(/Unterminated quote/);
    expect(patternError('HH:mm')).toBeNull();
  });
});
