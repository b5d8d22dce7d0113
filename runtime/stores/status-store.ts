/**
 * Connector and task statuses, and the topics each connector has used, in a compacted topic with
 * Kafka Connect's keys and values:
 *   status-connector-<name>             {"state":"RUNNING","trace":null,"worker_id":"...","generation":0}
 *   status-task-<name>-<n>              (the same)
 *   status-topic-<topic>:connector-<name>  {"topic":{"name":..,"connector":..,"task":..,"discoverTimestamp":..}}
 */
import { getLogger } from '../api/logger.js';
import type { State } from '../herder/herder.js';
import type { Log } from '../log/log.js';
import { TopicBackedStore, parseJsonValue } from './compacted-topic.js';

const log = getLogger('stores.status');

export interface Status {
  state: State;
  trace: string | null;
  worker_id: string;
  generation: number;
}

export class StatusStore extends TopicBackedStore {
  private readonly connectors = new Map<string, Status>();
  private readonly tasks = new Map<string, Map<number, Status>>();
  private readonly topics = new Map<string, Set<string>>();


  connector(name: string): Status | null {
    return this.connectors.get(name) ?? null;
  }

  task(name: string, id: number): Status | null {
    return this.tasks.get(name)?.get(id) ?? null;
  }

  taskIds(name: string): number[] {
    return [...(this.tasks.get(name)?.keys() ?? [])].sort((a, b) => a - b);
  }

  activeTopics(name: string): string[] {
    return [...(this.topics.get(name) ?? [])].sort();
  }

  putConnector(name: string, status: Status): Promise<void> {
    return this.topic.write(`status-connector-${name}`, status);
  }

  putTask(name: string, id: number, status: Status): Promise<void> {
    return this.topic.write(`status-task-${name}-${id}`, status);
  }

  async putTopic(connector: string, topic: string, task: number): Promise<void> {
    if (this.topics.get(connector)?.has(topic)) return;
    await this.topic.write(`status-topic-${topic}:connector-${connector}`, {
      topic: { name: topic, connector, task, discoverTimestamp: Date.now() },
    });
  }

  async deleteTopics(connector: string): Promise<void> {
    await this.topic.writeMany(this.activeTopics(connector).map((t) => ({ key: `status-topic-${t}:connector-${connector}`, value: null })));
  }

  /** Removes every status of a deleted connector. */
  async deleteConnector(name: string): Promise<void> {
    await this.topic.writeMany([
      { key: `status-connector-${name}`, value: null },
      ...this.taskIds(name).map((id) => ({ key: `status-task-${name}-${id}`, value: null })),
    ]);
  }

  async deleteTask(name: string, id: number): Promise<void> {
    await this.topic.write(`status-task-${name}-${id}`, null);
  }

  protected apply(key: string, raw: Uint8Array | null): void {
    const value = parseJsonValue(raw, `status topic record '${key}'`, (m) => log.error(m));
    if (value === undefined) return;
    if (key.startsWith('status-connector-')) {
      const name = key.slice('status-connector-'.length);
      if (value === null) this.connectors.delete(name);
      else this.connectors.set(name, value as Status);
    } else if (key.startsWith('status-task-')) {
      const m = /^status-task-(.*)-(\d+)$/.exec(key);
      if (!m) return;
      const name = m[1]!;
      const byId = this.tasks.get(name) ?? new Map<number, Status>();
      if (value === null) byId.delete(Number(m[2]));
      else byId.set(Number(m[2]), value as Status);
      if (byId.size === 0) this.tasks.delete(name);
      else this.tasks.set(name, byId);
    } else if (key.startsWith('status-topic-')) {
      const m = /^status-topic-(.*):connector-(.*)$/.exec(key);
      if (!m) return;
      const [, topicName, connector] = m as unknown as [string, string, string];
      const set = this.topics.get(connector) ?? new Set<string>();
      if (value === null) set.delete(topicName);
      else set.add(topicName);
      if (set.size === 0) this.topics.delete(connector);
      else this.topics.set(connector, set);
    }
  }
}
