/** Reusable validators for ConfigSpec keys, with the wording Kafka's ConfigDef validators use. */
import type { ConfigValueType, Validator } from './config-spec.js';

function named(fn: (name: string, value: ConfigValueType) => string | null, describe: string): Validator {
  return Object.assign(fn, { describe });
}

export const Validators = {
  atLeast(min: number): Validator {
    return named((_n, v) => (typeof v === 'number' && v < min ? `Value must be at least ${min}` : null), `[${min},...]`);
  },
  between(min: number, max: number): Validator {
    return named(
      (_n, v) => (typeof v !== 'number' ? null : v < min ? `Value must be at least ${min}` : v > max ? `Value must be no more than ${max}` : null),
      `[${min},...,${max}]`,
    );
  },
  /** One of the given strings (case-sensitive, as ConfigDef.ValidString). */
  oneOf(...allowed: string[]): Validator {
    return named((_n, v) => (v !== null && !allowed.includes(String(v)) ? `String must be one of: ${allowed.join(', ')}` : null), `[${allowed.join(', ')}]`);
  },
  oneOfIgnoreCase(...allowed: string[]): Validator {
    const lower = allowed.map((a) => a.toLowerCase());
    return named((_n, v) => (v !== null && !lower.includes(String(v).toLowerCase()) ? `String must be one of (case insensitive): ${allowed.join(', ')}` : null), `(case insensitive) [${allowed.join(', ')}]`);
  },
  /** Every list item one of the given strings. */
  listOf(...allowed: string[]): Validator {
    return named((_n, v) => {
      const bad = (Array.isArray(v) ? v : []).filter((x) => !allowed.includes(x));
      return bad.length ? `Invalid value(s) ${bad.join(', ')}; allowed: ${allowed.join(', ')}` : null;
    }, `[${allowed.join(', ')}]`);
  },
  nonEmptyString(): Validator {
    return named((_n, v) => (v === null || String(v).trim() === '' ? 'String must be non-empty' : null), 'non-empty string');
  },
  nonEmptyList(): Validator {
    return named((_n, v) => (!Array.isArray(v) || v.length === 0 ? 'Empty list' : null), 'non-empty list');
  },
  /** A Java-compatible regular expression that compiles. */
  regex(): Validator {
    return named((_n, v) => {
      if (v === null || v === '') return null;
      try {
        new RegExp(String(v));
        return null;
      } catch (e) {
        return `Invalid regular expression: ${(e as Error).message}`;
      }
    }, 'valid regex');
  },
  all(...validators: Validator[]): Validator {
    return named((n, v) => {
      for (const val of validators) {
        const msg = val(n, v);
        if (msg) return msg;
      }
      return null;
    }, validators.map((v) => v.describe ?? '').filter(Boolean).join(', '));
  },
};
