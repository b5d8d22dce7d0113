/**
 * Turns one input line into a record the way kafka-console-producer reads lines:
 * `[headers<headers.delimiter>][key<key.separator>]value`, headers being
 * `k<headers.key.separator>v<headers.separator>k2...`. Property names and defaults are Kafka's.
 */
import type { LogHeader, ProduceRecord } from '../../../runtime/log/log.js';
import { UsageError } from './args.js';

export interface LineReaderConfig {
  parseKey: boolean;
  keySeparator: string;
  parseHeaders: boolean;
  headersDelimiter: string;
  headersSeparator: string;
  headersKeySeparator: string;
  /** A key, value or header value equal to this is null (a value: a tombstone). */
  nullMarker: string | undefined;
  /** A line missing a separator becomes a value with no key (or a header with no value). */
  ignoreError: boolean;
}

const KNOWN = ['parse.key', 'key.separator', 'parse.headers', 'headers.delimiter', 'headers.separator', 'headers.key.separator', 'null.marker', 'ignore.error'];

export function lineReaderConfig(props: Map<string, string>, command: string): LineReaderConfig {
  const unknown = [...props.keys()].filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) throw new UsageError(`${command}: unknown --property ${unknown.join(', ')} (known: ${KNOWN.join(', ')})`);
  const config: LineReaderConfig = {
    parseKey: bool(props, 'parse.key', command),
    keySeparator: props.get('key.separator') ?? '\t',
    parseHeaders: bool(props, 'parse.headers', command),
    headersDelimiter: props.get('headers.delimiter') ?? '\t',
    headersSeparator: props.get('headers.separator') ?? ',',
    headersKeySeparator: props.get('headers.key.separator') ?? ':',
    nullMarker: props.get('null.marker') || undefined,
    ignoreError: bool(props, 'ignore.error', command),
  };
  for (const key of ['key.separator', 'headers.delimiter', 'headers.separator', 'headers.key.separator'] as const) {
    if (props.get(key) === '') throw new UsageError(`${command}: --property ${key} cannot be empty`);
  }
  if (config.parseHeaders && config.headersSeparator === config.headersKeySeparator) {
    throw new UsageError(`${command}: headers.separator and headers.key.separator must differ`);
  }
  return config;
}

function bool(props: Map<string, string>, key: string, command: string): boolean {
  const raw = props.get(key)?.trim().toLowerCase();
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new UsageError(`${command}: --property ${key} must be true or false, not '${props.get(key)}'`);
}

/** A line that does not fit the configured format; `lineNumber` counts from 1. */
export class LineFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LineFormatError';
  }
}

const encoder = new TextEncoder();

export function readLine(line: string, lineNumber: number, topic: string, c: LineReaderConfig): ProduceRecord {
  let rest = line;
  let headers: LogHeader[] = [];
  if (c.parseHeaders) {
    const at = rest.indexOf(c.headersDelimiter);
    if (at !== -1) {
      headers = parseHeaders(rest.slice(0, at), lineNumber, c);
      rest = rest.slice(at + c.headersDelimiter.length);
    } else if (!c.ignoreError) {
      throw new LineFormatError(`no headers delimiter ${JSON.stringify(c.headersDelimiter)} on line ${lineNumber}: '${line}'`);
    }
  }
  let key: string | null = null;
  if (c.parseKey) {
    const at = rest.indexOf(c.keySeparator);
    if (at !== -1) {
      key = rest.slice(0, at);
      rest = rest.slice(at + c.keySeparator.length);
    } else if (!c.ignoreError) {
      throw new LineFormatError(`no key separator ${JSON.stringify(c.keySeparator)} on line ${lineNumber}: '${line}'`);
    }
  }
  return { topic, key: bytesOrNull(key, c), value: bytesOrNull(rest, c), headers };
}

function parseHeaders(text: string, lineNumber: number, c: LineReaderConfig): LogHeader[] {
  if (c.nullMarker !== undefined && text === c.nullMarker) return [];
  return text.split(c.headersSeparator).map((pair) => {
    const at = pair.indexOf(c.headersKeySeparator);
    if (at === -1) {
      if (c.ignoreError) return { key: pair, value: null };
      throw new LineFormatError(`no header key separator ${JSON.stringify(c.headersKeySeparator)} in '${pair}' on line ${lineNumber}`);
    }
    const key = pair.slice(0, at);
    if (key === c.nullMarker) throw new LineFormatError(`a header key cannot be the null marker '${key}' (line ${lineNumber})`);
    return { key, value: bytesOrNull(pair.slice(at + c.headersKeySeparator.length), c) };
  });
}

function bytesOrNull(text: string | null, c: LineReaderConfig): Uint8Array | null {
  return text === null || text === c.nullMarker ? null : encoder.encode(text);
}
