/**
 * Connector config files given to `connect-standalone` after the worker file. Like Kafka Connect,
 * a file may be `.properties`, a flat JSON object of config keys, or a JSON create-connector request
 * `{ "name": ..., "config": { ... }, "initial_state": ... }`.
 *
 * JSON scalars that are not strings become the text Kafka's JSON reader gives them: a number keeps
 * its text as written (`1.50` stays `1.50`), booleans become `true`/`false`. A `null` value leaves the
 * key out. Objects and arrays are not config values and are rejected, naming the key.
 */
import { extname } from 'node:path';
import { ConfigFileError, parseProperties, readConfigText } from './properties.js';

export type InitialState = 'RUNNING' | 'PAUSED' | 'STOPPED';

export interface ConnectorConfigFile {
  name: string;
  config: Record<string, string>;
  /** From a create-connector request's `initial_state`, when it has one. */
  initialState?: InitialState;
}

/** A JSON number, kept as written so that it becomes the same string Kafka would store. */
class JsonNumber {
  constructor(readonly text: string) {}
}
type JsonValue = string | boolean | null | JsonNumber | JsonValue[] | JsonObject;
interface JsonObject {
  entries: Map<string, JsonValue>;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !(value instanceof JsonNumber) && !Array.isArray(value);
}

const LITERALS: [string, JsonValue][] = [
  ['true', true],
  ['false', false],
  ['null', null],
];
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Strict RFC 8259 JSON, parsed by hand because `JSON.parse` neither keeps number text nor says where it failed. */
class JsonReader {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  readDocument(): JsonValue {
    this.skipSpace();
    const value = this.readValue();
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private fail(message: string): never {
    let line = 1;
    let column = 1;
    for (let i = 0; i < this.pos && i < this.text.length; i++) {
      if (this.text[i] === '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    const found = this.pos >= this.text.length ? 'end of file' : JSON.stringify(this.text[this.pos]);
    throw new ConfigFileError(this.file, line, `invalid JSON: ${message}, found ${found}`, { column });
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos]!)) this.pos++;
  }

  private expect(literal: string): void {
    if (!this.text.startsWith(literal, this.pos)) this.fail(`expected ${literal}`);
    this.pos += literal.length;
  }

  private readValue(): JsonValue {
    const c = this.text[this.pos];
    if (c === '{') return this.readObject();
    if (c === '[') return this.readArray();
    if (c === '"') return this.readString();
    for (const [literal, value] of LITERALS) {
      if (c === literal[0]) {
        this.expect(literal);
        return value;
      }
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.readNumber();
    return this.fail('expected a value');
  }

  private readObject(): JsonObject {
    const entries = new Map<string, JsonValue>();
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { entries };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('expected a quoted key');
      const key = this.readString();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail("expected ':' after a key");
      this.pos++;
      this.skipSpace();
      entries.set(key, this.readValue());
      this.skipSpace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === '}') return { entries };
      if (next !== ',') {
        this.pos--;
        this.fail("expected ',' or '}'");
      }
    }
  }

  private readArray(): JsonValue[] {
    const items: JsonValue[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      this.skipSpace();
      items.push(this.readValue());
      this.skipSpace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === ']') return items;
      if (next !== ',') {
        this.pos--;
        this.fail("expected ',' or ']'");
      }
    }
  }

  private readString(): string {
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail('unterminated string');
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c < ' ') this.fail('control character in a string');
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = this.text[this.pos + 1];
      if (e !== undefined && e in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[e];
        this.pos += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
        out += String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
        this.pos += 6;
      } else {
        this.fail('invalid escape in a string');
      }
    }
  }

  private readNumber(): JsonNumber {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (!match) return this.fail('invalid number');
    const after = this.text[this.pos + match[0].length];
    if (after !== undefined && /[0-9.eE+-]/.test(after)) {
      this.pos += match[0].length;
      this.fail('invalid number');
    }
    this.pos += match[0].length;
    return new JsonNumber(match[0]);
  }
}

/** Reads JSON text as a connector config file; `file` names it in errors. */
export function parseConnectorJson(text: string, file: string): ConnectorConfigFile {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const doc = new JsonReader(body, file).readDocument();
  if (!isObject(doc)) throw new ConfigFileError(file, undefined, 'a connector config file must hold a JSON object');

  const nested = doc.entries.get('config');
  if (isObject(nested)) {
    const config = toStringMap(nested, file, 'config.');
    const topName = scalarText(doc.entries.get('name'), file, 'name');
    if (topName !== undefined && config.name !== undefined && config.name !== topName) {
      throw new ConfigFileError(
        file,
        undefined,
        `"name" is '${topName}' but "config" has name '${config.name}'; they must match`,
      );
    }
    const name = requireName(topName ?? config.name, file);
    const result: ConnectorConfigFile = { name, config: { ...config, name } };
    const initialState = scalarText(doc.entries.get('initial_state'), file, 'initial_state');
    if (initialState !== undefined) result.initialState = parseInitialState(initialState, file);
    return result;
  }
  const config = toStringMap(doc, file, '');
  return { name: requireName(config.name, file), config };
}

function scalarText(value: JsonValue | undefined, file: string, key: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof JsonNumber) return value.text;
  throw new ConfigFileError(file, undefined, `"${key}" must be a string, number or boolean, not ${Array.isArray(value) ? 'an array' : 'an object'}`);
}

function toStringMap(object: JsonObject, file: string, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of object.entries) {
    const text = scalarText(value, file, prefix + key);
    if (text !== undefined) out[key] = text;
  }
  return out;
}

function requireName(name: string | undefined, file: string): string {
  if (name === undefined) {
    throw new ConfigFileError(file, undefined, "connector configuration is missing the mandatory 'name' key");
  }
  if (name.trim() === '') throw new ConfigFileError(file, undefined, "connector 'name' is empty");
  return name;
}

function parseInitialState(value: string, file: string): InitialState {
  const state = value.toUpperCase();
  if (state === 'RUNNING' || state === 'PAUSED' || state === 'STOPPED') return state;
  throw new ConfigFileError(file, undefined, `"initial_state" must be RUNNING, PAUSED or STOPPED, not '${value}'`);
}

/** A file holds JSON when it is named `.json` or its first visible character opens an object. */
function looksLikeJson(path: string, text: string): boolean {
  if (extname(path).toLowerCase() === '.json') return true;
  return /^\ufeff?\s*\{/.test(text);
}

/** Reads a connector config file for connect-standalone; every error names `path`. */
export async function readConnectorConfigFile(path: string): Promise<ConnectorConfigFile> {
  const text = await readConfigText(path);
  if (looksLikeJson(path, text)) return parseConnectorJson(text, path);
  const config = Object.fromEntries(parseProperties(text, path));
  return { name: requireName(config.name, path), config };
}
