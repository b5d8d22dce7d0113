/** The file connectors pass the shared conformance suite. */
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonPayloads } from '../harness/read-topic.js';
import { describeConformance } from './connector-conformance.js';

async function fileLines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '');
}

describeConformance({
  title: 'FileStreamSource',
  config: (ctx) => ({ 'connector.class': 'FileStreamSource', file: join(ctx.dir, `${ctx.id}.in`), topic: `${ctx.id}-topic` }),
  feed: (ctx, items) => appendFile(join(ctx.dir, `${ctx.id}.in`), items.map((i) => `${i}\n`).join('')),
  delivered: async (ctx) => (await readJsonPayloads(ctx.dir, `${ctx.id}-topic`)) as string[],
  badConfig: { config: { 'connector.class': 'FileStreamSource', 'batch.size': 'lots' }, keysNamed: ['topic', 'batch.size'] },
});

describeConformance({
  title: 'FileStreamSink',
  companions: (ctx) => ({
    [`${ctx.id}-feeder`]: { 'connector.class': 'FileStreamSource', file: join(ctx.dir, `${ctx.id}.in`), topic: `${ctx.id}-topic` },
  }),
  config: (ctx) => ({ 'connector.class': 'FileStreamSink', file: join(ctx.dir, `${ctx.id}.out`), topics: `${ctx.id}-topic` }),
  feed: (ctx, items) => appendFile(join(ctx.dir, `${ctx.id}.in`), items.map((i) => `${i}\n`).join('')),
  delivered: (ctx) => fileLines(join(ctx.dir, `${ctx.id}.out`)),
  badConfig: { config: { 'connector.class': 'FileStreamSink', 'tasks.max': '0' }, keysNamed: ['tasks.max', 'topics'] },
});
