/**
 * The shared connector conformance suite: every connector passes it against its real service.
 * It drives a worker process over REST as a user would: start, pause, resume, stop, restart,
 * reconfigure, offsets surviving a kill -9, and a bad config rejected with every error.
 *
 * A connector joins by describing how to feed it and how to see what it delivered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, http, startWorker, tempDir, type WorkerProcess } from '../harness/worker-process.js';

export interface ConformanceContext {
  dir: string;
  /** A name unique to one test: use it for topics, files, tables, slots. */
  id: string;
  url: string;
}

export interface ConformanceSubject {
  title: string;
  /** Runs before the connector is created (e.g. creating the table it captures). */
  prepare?(ctx: ConformanceContext): Promise<void>;
  /** The config of the connector under test (without `name`). */
  config(ctx: ConformanceContext): Record<string, string>;
  /** Connectors that must run beside it (e.g. a source feeding a sink under test), keyed by name. */
  companions?(ctx: ConformanceContext): Record<string, Record<string, string>>;
  /** Makes these items appear at the connector's input. */
  feed(ctx: ConformanceContext, items: string[]): Promise<void>;
  /** Everything delivered at the connector's output so far, in order. */
  delivered(ctx: ConformanceContext): Promise<string[]>;
  /** A config with several errors; the 400 answer must name every key listed. */
  badConfig: { config: Record<string, string>; keysNamed: string[] };
  /** Extra time for slow services. */
  timeoutMs?: number;
}

export function describeConformance(subject: ConformanceSubject): void {
  describe(`connector conformance: ${subject.title}`, () => {
    let tmp: { path: string; remove(): Promise<void> };
    let worker: WorkerProcess;
    let seq = 0;
    const wait = subject.timeoutMs ?? 15000;

    beforeAll(async () => {
      tmp = await tempDir('conformance');
      worker = await startWorker({ dir: tmp.path });
    });

    afterAll(async () => {
      await worker?.stop();
      await tmp?.remove();
    });

    async function deploy(): Promise<{ ctx: ConformanceContext; name: string }> {
      const id = `conf${++seq}${Date.now().toString(36)}`;
      const ctx = { dir: tmp.path, id, url: worker.url };
      await subject.prepare?.(ctx);
      for (const [name, config] of Object.entries(subject.companions?.(ctx) ?? {})) {
        expect((await http('PUT', `${worker.url}/connectors/${name}/config`, config)).status).toBe(201);
      }
      const name = `${id}-under-test`;
      const res = await http('POST', `${worker.url}/connectors`, { name, config: subject.config(ctx) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      await eventually(async () => {
        const s = (await http('GET', `${worker.url}/connectors/${name}/status`)).body;
        return s.connector?.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t: { state: string }) => t.state === 'RUNNING');
      }, wait, `${name} RUNNING`);
      return { ctx, name };
    }

    async function expectDelivered(ctx: ConformanceContext, items: string[]): Promise<void> {
      await eventually(async () => (await subject.delivered(ctx)).length >= items.length, wait, `${items.length} items delivered`);
      await new Promise((r) => setTimeout(r, 300));
      expect(await subject.delivered(ctx)).toEqual(items);
    }

    async function taskStates(name: string): Promise<string[]> {
      return (await http('GET', `${worker.url}/connectors/${name}/status`)).body.tasks.map((t: { state: string }) => t.state);
    }

    it('starts and delivers', async () => {
      const { ctx } = await deploy();
      await subject.feed(ctx, ['a', 'b', 'c']);
      await expectDelivered(ctx, ['a', 'b', 'c']);
    });

    it('delivers nothing while paused, and everything after resume', async () => {
      const { ctx, name } = await deploy();
      await subject.feed(ctx, ['before']);
      await expectDelivered(ctx, ['before']);
      expect((await http('PUT', `${worker.url}/connectors/${name}/pause`)).status).toBe(202);
      await eventually(async () => (await taskStates(name)).every((s) => s === 'PAUSED'), wait, 'tasks PAUSED');
      await subject.feed(ctx, ['during']);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await subject.delivered(ctx)).toEqual(['before']);
      expect((await http('PUT', `${worker.url}/connectors/${name}/resume`)).status).toBe(202);
      await expectDelivered(ctx, ['before', 'during']);
    });

    it('stops (no tasks) and resumes from where it was', async () => {
      const { ctx, name } = await deploy();
      await subject.feed(ctx, ['one']);
      await expectDelivered(ctx, ['one']);
      expect((await http('PUT', `${worker.url}/connectors/${name}/stop`)).status).toBe(204);
      await eventually(async () => (await http('GET', `${worker.url}/connectors/${name}/status`)).body.connector.state === 'STOPPED', wait, 'STOPPED');
      expect(await taskStates(name)).toEqual([]);
      await subject.feed(ctx, ['two']);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await subject.delivered(ctx)).toEqual(['one']);
      await http('PUT', `${worker.url}/connectors/${name}/resume`);
      await expectDelivered(ctx, ['one', 'two']);
    });

    it('restarts connector and tasks without losing or repeating', async () => {
      const { ctx, name } = await deploy();
      await subject.feed(ctx, ['x1', 'x2']);
      await expectDelivered(ctx, ['x1', 'x2']);
      expect((await http('POST', `${worker.url}/connectors/${name}/restart?includeTasks=true`)).status).toBe(202);
      await eventually(async () => (await taskStates(name)).every((s) => s === 'RUNNING'), wait, 'RUNNING after restart');
      await subject.feed(ctx, ['x3']);
      await expectDelivered(ctx, ['x1', 'x2', 'x3']);
    });

    it('takes a new config without losing data', async () => {
      const { ctx, name } = await deploy();
      await subject.feed(ctx, ['r1']);
      await expectDelivered(ctx, ['r1']);
      const config = { ...subject.config(ctx), 'errors.log.enable': 'true' };
      expect((await http('PUT', `${worker.url}/connectors/${name}/config`, config)).status).toBe(200);
      await subject.feed(ctx, ['r2']);
      await expectDelivered(ctx, ['r1', 'r2']);
    });

    it('rejects a bad config with 400 naming every bad key', async () => {
      const res = await http('POST', `${worker.url}/connectors`, { name: `bad-${++seq}`, config: subject.badConfig.config });
      expect(res.status).toBe(400);
      for (const key of subject.badConfig.keysNamed) expect(res.body.message).toContain(key);
    });

    it('keeps its offsets across a kill -9 of the worker', { timeout: 60_000 }, async () => {
      const { ctx } = await deploy();
      await subject.feed(ctx, ['k1', 'k2']);
      await expectDelivered(ctx, ['k1', 'k2']);
      // Let the offset flush (1 s in the harness) store the position, then crash.
      await new Promise((r) => setTimeout(r, 2500));
      await worker.kill();
      await subject.feed(ctx, ['k3']);
      worker = await startWorker({ dir: tmp.path });
      ctx.url = worker.url;
      await expectDelivered(ctx, ['k1', 'k2', 'k3']);
    });
  });
}
