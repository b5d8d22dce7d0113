/**
 * Connector configs, task configs and target states in a compacted topic, with Kafka Connect's
 * record keys and JSON values, so a config topic written by either runtime reads in the other:
 *   connector-<name>     {"properties":{...}}          (tombstone on delete)
 *   task-<name>-<n>      {"properties":{...}}
 *   commit-<name>        {"tasks":N}                   (task configs apply only once committed)
 *   target-state-<name>  {"state":"PAUSED","state.v2":"STOPPED"}
 */
import { getLogger } from '../api/logger.js';
import type { TargetState } from '../herder/herder.js';
import type { Log } from '../log/log.js';
import { TopicBackedStore, parseJsonValue } from './compacted-topic.js';

const log = getLogger('stores.config');

export interface ConnectorSnapshot {
  config: Record<string, string>;
  targetState: TargetState;
  taskConfigs: Array<Record<string, string>>;
}

export class ConfigStore extends TopicBackedStore {
  private readonly configs = new Map<string, Record<string, string>>();
  private readonly targetStates = new Map<string, TargetState>();
  private readonly taskConfigs = new Map<string, Array<Record<string, string>>>();
  /** Task configs read but not yet committed by a `commit-<name>` record. */
  private readonly pendingTasks = new Map<string, Map<number, Record<string, string>>>();

  constructor(log_: Log, topicName: string) {
    // One partition, as Kafka's config topic: its records must stay in one order.
    super(log_, topicName, 1);
  }

  connectors(): string[] {
    return [...this.configs.keys()].sort();
  }

  snapshot(name: string): ConnectorSnapshot | null {
    const config = this.configs.get(name);
    if (!config) return null;
    return { config, targetState: this.targetStates.get(name) ?? 'STARTED', taskConfigs: this.taskConfigs.get(name) ?? [] };
  }

  /** Writes a connector config; with a target state, that is written first, as Kafka does for initial_state. */
  async putConnectorConfig(name: string, config: Record<string, string>, targetState?: TargetState): Promise<void> {
    const records: Array<{ key: string; value: unknown }> = [];
    if (targetState) records.push({ key: `target-state-${name}`, value: targetStateValue(targetState) });
    records.push({ key: `connector-${name}`, value: { properties: config } });
    await this.topic.writeMany(records);
  }

  async removeConnectorConfig(name: string): Promise<void> {
    await this.topic.writeMany([
      { key: `connector-${name}`, value: null },
      { key: `target-state-${name}`, value: null },
    ]);
  }

  async putTargetState(name: string, state: TargetState): Promise<void> {
    await this.topic.write(`target-state-${name}`, targetStateValue(state));
  }

  /** Writes every task config and then the commit record that makes them take effect. */
  async putTaskConfigs(name: string, configs: Array<Record<string, string>>): Promise<void> {
    await this.topic.writeMany([
      ...configs.map((properties, i) => ({ key: `task-${name}-${i}`, value: { properties } })),
      { key: `commit-${name}`, value: { tasks: configs.length } },
    ]);
  }

  protected apply(key: string, raw: Uint8Array | null): void {
    const value = parseJsonValue(raw, `config topic record '${key}'`, (m) => log.error(m));
    if (value === undefined) return;
    if (key.startsWith('connector-')) {
      const name = key.slice('connector-'.length);
      if (value === null) {
        this.configs.delete(name);
        this.taskConfigs.delete(name);
        this.targetStates.delete(name);
        this.pendingTasks.delete(name);
      } else {
        this.configs.set(name, stringProps((value as { properties?: unknown }).properties));
      }
    } else if (key.startsWith('target-state-')) {
      const name = key.slice('target-state-'.length);
      if (value === null) this.targetStates.delete(name);
      else this.targetStates.set(name, readTargetState(value as Record<string, unknown>));
    } else if (key.startsWith('task-')) {
      const m = /^task-(.*)-(\d+)$/.exec(key);
      if (!m) return void log.warn(`config topic: ignoring malformed key '${key}'`);
      const [, name, id] = m as unknown as [string, string, string];
      if (value === null) return;
      const pending = this.pendingTasks.get(name) ?? new Map<number, Record<string, string>>();
      pending.set(Number(id), stringProps((value as { properties?: unknown }).properties));
      this.pendingTasks.set(name, pending);
    } else if (key.startsWith('commit-')) {
      const name = key.slice('commit-'.length);
      const count = Number((value as { tasks?: unknown } | null)?.tasks ?? 0);
      const pending = this.pendingTasks.get(name) ?? new Map();
      const tasks: Array<Record<string, string>> = [];
      for (let i = 0; i < count; i++) {
        const t = pending.get(i) ?? this.taskConfigs.get(name)?.[i];
        if (!t) {
          log.error(`config topic: commit of ${count} tasks for '${name}' but task ${i} was never written; keeping the previous task configs`);
          return;
        }
        tasks.push(t);
      }
      this.taskConfigs.set(name, tasks);
      this.pendingTasks.delete(name);
    }
    // session-key and other keys of distributed mode are not ours to read here.
  }
}

function targetStateValue(state: TargetState): Record<string, string> {
  // Workers older than Kafka 3.5 know only STARTED and PAUSED, so STOPPED reads as PAUSED there.
  return { state: state === 'STOPPED' ? 'PAUSED' : state, 'state.v2': state };
}

function readTargetState(value: Record<string, unknown>): TargetState {
  const s = String(value['state.v2'] ?? value.state ?? 'STARTED');
  return s === 'PAUSED' || s === 'STOPPED' ? s : 'STARTED';
}

function stringProps(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw)) out[k] = v === null ? '' : String(v);
  return out;
}
