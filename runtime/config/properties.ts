/**
 * Java `.properties` files, read the way `java.util.Properties.load` reads them, because users bring
 * the worker and connector files they already run with Kafka Connect.
 *
 * Files are decoded as UTF-8 (with or without a BOM). Java's `load(InputStream)` decodes ISO-8859-1;
 * the two agree on ASCII and on `\uXXXX` escapes, which is what portable files contain.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../api/errors.js';

/**
 * A config file cannot be read or parsed. The message starts with `file:line:` (or `file:line:column:`)
 * when the position is known, `file:` otherwise.
 */
export class ConfigFileError extends ConfigError {
  readonly column: number | undefined;
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
    options?: { cause?: unknown; column?: number },
  ) {
    const at = line === undefined ? '' : options?.column === undefined ? `:${line}` : `:${line}:${options.column}`;
    super(`${file}${at}: ${detail}`, {}, options);
    this.column = options?.column;
  }
}

/** One logical line: natural lines joined by continuations, with where each natural line starts. */
interface LogicalLine {
  text: string;
  firstLine: number;
  /** Offsets in `text` where the 2nd, 3rd, ... natural line begins. */
  joins: number[];
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\f';
}

/**
 * Splits text into logical lines: skips blank and comment lines, drops leading whitespace of every
 * natural line, joins lines that end in an odd number of backslashes. `\r\n`, `\r` and `\n` all end a line.
 */
function logicalLines(text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let buf = '';
  let joins: number[] = [];
  let firstLine = 1;
  let lineNo = 1;
  let skipLeading = true;
  let continuing = false;
  let inComment = false;
  let oddBackslash = false;

  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const eol = c === '\n' || c === '\r';
    const lastChar = i + 1 === text.length;
    if (c === '\r' && text[i + 1] === '\n') i++;

    if (inComment) {
      if (eol) {
        inComment = false;
        skipLeading = true;
        lineNo++;
      }
      continue;
    }
    if (skipLeading) {
      if (isBlank(c)) continue;
      // A line break right after a continuation ends the logical line; elsewhere it is a blank line.
      if (eol && !continuing) {
        lineNo++;
        continue;
      }
      skipLeading = false;
      continuing = false;
    }
    // Java checks for a comment whenever the logical line is still empty, even after a continuation.
    if (buf.length === 0 && (c === '#' || c === '!')) {
      inComment = true;
      continue;
    }
    if (!eol) {
      if (buf.length === 0) {
        firstLine = lineNo;
        joins = [];
      }
      buf += c;
      oddBackslash = c === '\\' ? !oddBackslash : false;
      continue;
    }
    lineNo++;
    skipLeading = true;
    if (buf.length === 0) continue;
    if (oddBackslash && !lastChar) {
      buf = buf.slice(0, -1);
      oddBackslash = false;
      continuing = true;
      joins.push(buf.length);
      continue;
    }
    // Java sees end of input before the continuation here, so it keeps the line (without its backslash).
    lines.push({ text: oddBackslash ? buf.slice(0, -1) : buf, firstLine, joins });
    buf = '';
    joins = [];
    oddBackslash = false;
  }
  // At end of input Java keeps a pending line (even one emptied by its final backslash), never a comment.
  if (!inComment && buf.length > 0) {
    lines.push({ text: oddBackslash ? buf.slice(0, -1) : buf, firstLine, joins });
  }
  return lines;
}

function lineAt(line: LogicalLine, offset: number): number {
  let n = line.firstLine;
  for (const join of line.joins) if (offset >= join) n++;
  return n;
}

const SIMPLE_ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };
const HEX4 = /^[0-9a-fA-F]{4}$/;

function unescape(line: LogicalLine, start: number, end: number, source: string): string {
  const s = line.text;
  let out = '';
  for (let i = start; i < end; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    if (i >= end) break;
    const e = s[i]!;
    if (e === 'u') {
      const hex = s.slice(i + 1, Math.min(i + 5, end));
      if (!HEX4.test(hex)) throw new ConfigFileError(source, lineAt(line, i), 'malformed \\uXXXX escape');
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += SIMPLE_ESCAPES[e] ?? e;
    }
  }
  return out;
}

/** Splits a logical line at its first unescaped `=`, `:` or whitespace, skipping whitespace around it. */
function splitEntry(line: LogicalLine, source: string): [string, string] {
  const s = line.text;
  let keyEnd = s.length;
  let valueStart = s.length;
  let sawSeparator = false;
  let escaped = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (!escaped && (c === '=' || c === ':')) {
      keyEnd = i;
      valueStart = i + 1;
      sawSeparator = true;
      break;
    }
    if (!escaped && isBlank(c)) {
      keyEnd = i;
      valueStart = i + 1;
      break;
    }
    escaped = c === '\\' ? !escaped : false;
  }
  // After whitespace, one `=` or `:` may still follow as the real separator (`key = value`).
  while (valueStart < s.length) {
    const c = s[valueStart]!;
    if (!isBlank(c)) {
      if (sawSeparator || (c !== '=' && c !== ':')) break;
      sawSeparator = true;
    }
    valueStart++;
  }
  return [unescape(line, 0, keyEnd, source), unescape(line, valueStart, s.length, source)];
}

/**
 * Parses `.properties` text. `source` names the file in error messages. Keys keep file order; a key
 * that appears twice keeps its first position and its last value, as with `Properties.put`.
 */
export function parseProperties(text: string, source: string): Map<string, string> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const props = new Map<string, string>();
  for (const line of logicalLines(body)) {
    const [key, value] = splitEntry(line, source);
    props.set(key, value);
  }
  return props;
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** Reads a config file as UTF-8 text; a failure is a ConfigFileError naming `path` as given. */
export async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(path, undefined, describeReadError(error), { cause: error });
  }
}

/** Reads and parses a `.properties` file; errors name `path` as given. */
export async function readPropertiesFile(path: string): Promise<Map<string, string>> {
  return parseProperties(await readConfigText(path), path);
}

function escapeText(text: string, isKey: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = text.charCodeAt(i);
    switch (c) {
      case ' ':
        // In a value only a leading space would be lost; in a key every space would end the key.
        out += isKey || i === 0 ? '\\ ' : ' ';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\\':
      case '=':
      case ':':
      case '#':
      case '!':
        out += '\\' + c;
        break;
      default:
        // ASCII output reads the same under Java's ISO-8859-1 decoding and our UTF-8 decoding.
        out += code < 0x20 || code > 0x7e ? '\\u' + code.toString(16).toUpperCase().padStart(4, '0') : c;
    }
  }
  return out;
}

/**
 * Writes entries as `.properties` text (`key=value` lines, `\n` ends), escaped so that
 * `parseProperties` and Java's `Properties.load` both read back the same map.
 * `comments` become leading `#` lines.
 */
export function formatProperties(
  props: Map<string, string> | Record<string, string>,
  comments: string[] = [],
): string {
  const entries = props instanceof Map ? [...props] : Object.entries(props);
  const lines = comments.flatMap((comment) => comment.split(/\r\n|\r|\n/).map((part) => `#${part}`));
  for (const [key, value] of entries) lines.push(`${escapeText(key, true)}=${escapeText(value, false)}`);
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}
