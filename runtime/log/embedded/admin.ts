/** Topic and group administration of the embedded log. */
import { LogError, parseTpKey, type Admin, type NewTopic, type TopicDescription } from '../log.js';
import { toLogError } from './errors.js';
import type { GroupCoordinator } from './group-coordinator.js';
import type { Store, TopicRow } from './store.js';
import { effectiveConfigs, validateTopicConfigs, validateTopicName } from './topic-configs.js';

export interface AdminHost {
  readonly store: Store;
  readonly coordinator: GroupCoordinator;
  /** Topics or partitions changed: regex subscriptions and group assignments look again. */
  metadataChanged(): void;
  ensureOpen(): void;
}

function unknownTopic(name: string): LogError {
  return new LogError(`topic '${name}' does not exist`, 'UNKNOWN_TOPIC_OR_PARTITION', false);
}

export class EmbeddedAdmin implements Admin {
  constructor(private readonly host: AdminHost) {}

  createTopic(topic: NewTopic): Promise<boolean> {
    return this.run(() => {
      validateTopicName(topic.name);
      const partitions = topic.partitions === undefined || topic.partitions === -1 ? 1 : topic.partitions;
      if (!Number.isInteger(partitions) || partitions < 1) {
        throw new LogError(`a topic needs at least one partition, not ${partitions}`, 'INVALID_PARTITIONS', false);
      }
      const rf = topic.replicationFactor === undefined || topic.replicationFactor === -1 ? 1 : topic.replicationFactor;
      const configs = topic.configs ?? {};
      validateTopicConfigs(configs);
      const store = this.host.store;
      const created = store.write(() => {
        if (store.readTopic(topic.name)) return false;
        store.insertTopic(topic.name, partitions, rf, configs);
        return true;
      });
      if (created) this.host.metadataChanged();
      return created;
    });
  }

  describeTopic(name: string): Promise<TopicDescription | null> {
    return this.run(() => {
      const topic = this.host.store.readTopic(name);
      if (!topic) return null;
      return { name, partitions: topic.partitions, replicationFactor: topic.replicationFactor, configs: effectiveConfigs(topic.configs) };
    });
  }

  listTopics(): Promise<string[]> {
    return this.run(() => this.host.store.refreshTopics().map((t) => t.name));
  }

  deleteTopic(name: string): Promise<void> {
    return this.run(() => {
      const store = this.host.store;
      store.write(() => store.deleteTopic(this.existing(name)));
      this.host.metadataChanged();
    });
  }

  createPartitions(name: string, totalCount: number): Promise<void> {
    return this.run(() => {
      const store = this.host.store;
      store.write(() => {
        const topic = this.existing(name);
        if (!Number.isInteger(totalCount) || totalCount <= topic.partitions) {
          throw new LogError(
            `topic '${name}' has ${topic.partitions} partitions; the new count must be larger, not ${totalCount}`,
            'INVALID_PARTITIONS',
            false,
          );
        }
        store.addPartitions(topic, totalCount);
      });
      this.host.metadataChanged();
    });
  }

  alterTopicConfigs(name: string, configs: Record<string, string>): Promise<void> {
    return this.run(() => {
      validateTopicConfigs(configs);
      const store = this.host.store;
      store.write(() => {
        const topic = this.existing(name);
        store.setConfigs(topic, { ...topic.configs, ...configs });
      });
    });
  }

  offsets(name: string): Promise<Array<{ partition: number; earliest: number; latest: number }>> {
    return this.run(() => {
      const store = this.host.store;
      // One read transaction, so earliest and latest come from the same snapshot.
      return store.db.transaction(() => {
        const topic = this.existing(name);
        return Array.from({ length: topic.partitions }, (_, partition) => ({
          partition,
          earliest: store.earliestOffset(topic.id, partition),
          latest: store.nextOffset(topic.id, partition),
        }));
      })();
    });
  }

  groupOffsets(groupId: string): Promise<Map<string, number>> {
    return this.run(() => new Map(this.host.store.groupOffsets(groupId).map((r) => [`${r.topic}:${r.partition}`, r.offset])));
  }

  alterGroupOffsets(groupId: string, offsets: Map<string, number | null>): Promise<void> {
    return this.run(() => {
      this.requireInactive(groupId, 'alter the offsets of');
      const store = this.host.store;
      store.write(() => {
        for (const [key, offset] of offsets) {
          const tp = parseTpKey(key);
          store.commit(groupId, tp.topic, tp.partition, offset);
        }
      });
    });
  }

  deleteGroup(groupId: string): Promise<void> {
    return this.run(() => {
      this.requireInactive(groupId, 'delete');
      const store = this.host.store;
      store.write(() => store.deleteGroup(groupId));
    });
  }

  listGroups(): Promise<string[]> {
    return this.run(() => [...new Set([...this.host.store.groups(), ...this.host.coordinator.activeGroups()])].sort());
  }

  private existing(name: string): TopicRow {
    const topic = this.host.store.readTopic(name);
    if (!topic) throw unknownTopic(name);
    return topic;
  }

  /** Kafka refuses to change a group that has live members; so does this, for members in this process. */
  private requireInactive(groupId: string, action: string): void {
    if (this.host.coordinator.hasMembers(groupId)) {
      throw new LogError(`cannot ${action} group '${groupId}' while it has active members`, 'NON_EMPTY_GROUP', false);
    }
  }

  private async run<T>(fn: () => T): Promise<T> {
    this.host.ensureOpen();
    try {
      return fn();
    } catch (err) {
      throw toLogError(err);
    }
  }
}
