import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConnectorJson, readConnectorConfigFile } from './connector-file.js';
import { ConfigFileError } from './properties.js';

describe('readConnectorConfigFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsconnect-connector-file-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  it('reads a .properties connector file', async () => {
    const path = await file(
      'file-source.properties',
      [
        'name=local-file-source',
        'connector.class=FileStreamSource',
        'tasks.max=1',
        'file=/tmp/test.txt',
        'topic=connect-test',
      ].join('\n'),
    );
    expect(await readConnectorConfigFile(path)).toEqual({
      name: 'local-file-source',
      config: {
        name: 'local-file-source',
        'connector.class': 'FileStreamSource',
        'tasks.max': '1',
        file: '/tmp/test.txt',
        topic: 'connect-test',
      },
    });
  });

  it('reads a flat JSON object, turning numbers and booleans into their text', async () => {
    const path = await file(
      'flat.json',
      JSON.stringify({ name: 'flat', 'connector.class': 'FileStreamSink', 'tasks.max': 2, 'x.enabled': true }),
    );
    expect(await readConnectorConfigFile(path)).toEqual({
      name: 'flat',
      config: { name: 'flat', 'connector.class': 'FileStreamSink', 'tasks.max': '2', 'x.enabled': 'true' },
    });
  });

  it('keeps number text as written, as Kafka does', async () => {
    const path = await file('numbers.json', '{"name":"n","a":1.50,"b":-0,"c":1e3,"d":12345678901234567890}');
    const { config } = await readConnectorConfigFile(path);
    expect(config).toMatchObject({ a: '1.50', b: '-0', c: '1e3', d: '12345678901234567890' });
  });

  it('leaves out keys whose value is null', async () => {
    const path = await file('nulls.json', '{"name":"n","topics":null,"tasks.max":"1"}');
    expect((await readConnectorConfigFile(path)).config).toEqual({ name: 'n', 'tasks.max': '1' });
  });

  it('reads a create-connector request with name, config and initial_state', async () => {
    const path = await file(
      'request.json',
      JSON.stringify({
        name: 'pg-source',
        config: { 'connector.class': 'io.debezium.connector.postgresql.PostgresConnector', 'tasks.max': 1 },
        initial_state: 'paused',
      }),
    );
    expect(await readConnectorConfigFile(path)).toEqual({
      name: 'pg-source',
      config: {
        'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
        'tasks.max': '1',
        name: 'pg-source',
      },
      initialState: 'PAUSED',
    });
  });

  it('takes the name from config when the request has none at the top', async () => {
    const path = await file('inner-name.json', '{"config":{"name":"inner","connector.class":"X"}}');
    expect((await readConnectorConfigFile(path)).name).toBe('inner');
  });

  it('rejects a request whose name and config.name differ', async () => {
    const path = await file('mismatch.json', '{"name":"a","config":{"name":"b"}}');
    await expect(readConnectorConfigFile(path)).rejects.toThrow(`${path}: "name" is 'a' but "config" has name 'b'`);
  });

  it('rejects an unknown initial_state', async () => {
    const path = await file('state.json', '{"name":"a","config":{},"initial_state":"SLEEPING"}');
    await expect(readConnectorConfigFile(path)).rejects.toThrow('must be RUNNING, PAUSED or STOPPED');
  });

  it('reads JSON from a file not named .json when it starts with {', async () => {
    const path = await file('connector.conf', '\n  {"name":"by-content"}');
    expect((await readConnectorConfigFile(path)).name).toBe('by-content');
  });

  it('names the file when name is missing, in every format', async () => {
    for (const [name, text] of [
      ['no-name.properties', 'connector.class=X\n'],
      ['no-name.json', '{"connector.class":"X"}'],
      ['no-name-request.json', '{"config":{"connector.class":"X"}}'],
    ]) {
      const path = await file(name!, text!);
      await expect(readConnectorConfigFile(path)).rejects.toThrow(
        `${path}: connector configuration is missing the mandatory 'name' key`,
      );
    }
  });

  it('rejects an empty name', async () => {
    const path = await file('empty-name.json', '{"name":""}');
    await expect(readConnectorConfigFile(path)).rejects.toThrow("connector 'name' is empty");
  });

  it('names the file, line and column of invalid JSON', async () => {
    const path = await file('broken.json', '{\n  "name": "x",\n  "tasks.max": ,\n}');
    const error = await readConnectorConfigFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as Error).message).toBe(`${path}:3:16: invalid JSON: expected a value, found ","`);
  });

  it('rejects a trailing comma and text after the object', async () => {
    await expect(readConnectorConfigFile(await file('trailing.json', '{"name":"x",}'))).rejects.toThrow(
      ':1:13: invalid JSON: expected a quoted key',
    );
    await expect(readConnectorConfigFile(await file('extra.json', '{"name":"x"} x'))).rejects.toThrow(
      ':1:14: invalid JSON: unexpected text after the JSON value',
    );
  });

  it('reports an unterminated file at its end', async () => {
    const path = await file('cut.json', '{"name":"x"');
    await expect(readConnectorConfigFile(path)).rejects.toThrow(`${path}:1:12: invalid JSON: expected ',' or '}', found end of file`);
  });

  it('rejects a nested value in a flat file, naming the key', async () => {
    const path = await file('nested.json', '{"name":"x","topics":["a","b"]}');
    await expect(readConnectorConfigFile(path)).rejects.toThrow(`${path}: "topics" must be a string, number or boolean`);
  });

  it('rejects a JSON file that is not an object', async () => {
    const path = await file('array.json', '[1,2]');
    await expect(readConnectorConfigFile(path)).rejects.toThrow(`${path}: a connector config file must hold a JSON object`);
  });

  it('names a missing file', async () => {
    const path = join(dir, 'nope.properties');
    await expect(readConnectorConfigFile(path)).rejects.toThrow(`${path}: file not found`);
  });
});

describe('parseConnectorJson', () => {
  it('decodes string escapes and keeps the last of duplicate keys', () => {
    const parsed = parseConnectorJson('{"name":"a","k":"x\\u00e9\\n\\"","k2":"1","k2":"2"}', 'inline.json');
    expect(parsed.config).toEqual({ name: 'a', k: 'xé\n"', k2: '2' });
  });

  it('rejects raw control characters and bad escapes in strings', () => {
    expect(() => parseConnectorJson('{"name":"a\tb"}', 'ctl.json')).toThrow('ctl.json:1:11: invalid JSON: control character');
    expect(() => parseConnectorJson('{"name":"\\x"}', 'esc.json')).toThrow('esc.json:1:10: invalid JSON: invalid escape');
  });

  it('rejects numbers JSON does not allow', () => {
    expect(() => parseConnectorJson('{"name":"a","n":01}', 'num.json')).toThrow('invalid number');
    expect(() => parseConnectorJson('{"name":"a","n":.5}', 'num.json')).toThrow('expected a value');
  });

  it('accepts a byte order mark', () => {
    expect(parseConnectorJson('\ufeff{"name":"bom"}', 'bom.json').name).toBe('bom');
  });
});
