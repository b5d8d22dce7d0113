/**
 * A standalone worker keeps connectors created over REST, their target state and their offsets
 * in the embedded log's internal topics: a restart brings them back. Config providers keep only
 * the placeholder in the stored config.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, http, startWorker, tempDir } from '../harness/worker-process.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('restart of a standalone worker', () => {
  it('restores REST-created connectors, their target state and offsets', async () => {
    const tmp = await tempDir('restore');
    cleanups.push(tmp.remove);
    const input = join(tmp.path, 'in.txt');
    await writeFile(input, 'a\nb\n');
    let w = await startWorker({ dir: tmp.path });
    cleanups.push(() => w.stop());
    await http('POST', `${w.url}/connectors`, { name: 'kept-source', config: { 'connector.class': 'FileStreamSource', file: input, topic: 'kept' } });
    await http('POST', `${w.url}/connectors`, { name: 'kept-sink', config: { 'connector.class': 'FileStreamSink', file: join(tmp.path, 'out.txt'), topics: 'kept' } });
    await http('POST', `${w.url}/connectors`, { name: 'paused-one', config: { 'connector.class': 'FileStreamSource', file: input, topic: 'other' }, initial_state: 'PAUSED' });
    await eventually(async () => (await readFile(join(tmp.path, 'out.txt'), 'utf8').catch(() => '')) === 'a\nb\n', 15000, 'lines');
    expect(await w.stop()).toBe(0);

    w = await startWorker({ dir: tmp.path });
    expect((await http('GET', `${w.url}/connectors`)).body.sort()).toEqual(['kept-sink', 'kept-source', 'paused-one']);
    await eventually(async () => (await http('GET', `${w.url}/connectors/paused-one/status`)).body.connector.state === 'PAUSED', 5000, 'PAUSED kept');
    const offsets = await http('GET', `${w.url}/connectors/kept-source/offsets`);
    expect(offsets.body).toEqual({ offsets: [{ partition: { filename: input }, offset: { position: 4 } }] });
    await writeFile(input, 'a\nb\nc\n');
    await eventually(async () => (await readFile(join(tmp.path, 'out.txt'), 'utf8')) === 'a\nb\nc\n', 15000, 'only the new line');
  });

  it('resolves ${file:...} placeholders at start but stores and shows only the placeholder', async () => {
    const tmp = await tempDir('providers');
    cleanups.push(tmp.remove);
    const secrets = join(tmp.path, 'secrets.properties');
    await writeFile(secrets, `input.file=${join(tmp.path, 'secret-in.txt')}\n`);
    await writeFile(join(tmp.path, 'secret-in.txt'), 'from a provider\n');
    const w = await startWorker({ dir: tmp.path, workerProps: { 'config.providers': 'file', 'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider' } });
    cleanups.push(() => w.stop());
    const placeholder = `\${file:${secrets}:input.file}`;
    await http('POST', `${w.url}/connectors`, { name: 'p-source', config: { 'connector.class': 'FileStreamSource', file: placeholder, topic: 'p' } });
    await http('POST', `${w.url}/connectors`, { name: 'p-sink', config: { 'connector.class': 'FileStreamSink', file: join(tmp.path, 'p-out.txt'), topics: 'p' } });
    await eventually(async () => (await readFile(join(tmp.path, 'p-out.txt'), 'utf8').catch(() => '')) === 'from a provider\n', 15000, 'line via provider');
    expect((await http('GET', `${w.url}/connectors/p-source/config`)).body.file).toBe(placeholder);
    expect(JSON.stringify((await http('GET', `${w.url}/connectors/p-source/tasks`)).body)).not.toContain('secret-in.txt');
  });
});

describe('bad input to connect-standalone', () => {
  it('names the file and line of a malformed properties file', async () => {
    const tmp = await tempDir('badprops');
    cleanups.push(tmp.remove);
    const bad = join(tmp.path, 'bad.properties');
    await writeFile(bad, 'name=x\nfile=\\u12G4\n');
    await expect(startWorker({ dir: tmp.path, connectorFiles: [bad] })).rejects.toThrow(/bad\.properties:2/);
  });
});
