/**
 * Kafka's range assignor: for each topic, the members subscribed to it, sorted by member id, get
 * contiguous ranges of its partitions; the first (partitions % members) members get one extra.
 */
import type { TopicPartition } from '../log.js';

export interface AssignorMember {
  id: string;
  topics: string[];
}

export function rangeAssign(members: AssignorMember[], partitionsPerTopic: Map<string, number>): Map<string, TopicPartition[]> {
  const result = new Map<string, TopicPartition[]>(members.map((m) => [m.id, []]));
  const sorted = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const [topic, count] of [...partitionsPerTopic].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const consumers = sorted.filter((m) => m.topics.includes(topic));
    if (consumers.length === 0) continue;
    const each = Math.floor(count / consumers.length);
    const extra = count % consumers.length;
    consumers.forEach((member, i) => {
      const start = each * i + Math.min(i, extra);
      const length = each + (i < extra ? 1 : 0);
      for (let p = start; p < start + length; p++) result.get(member.id)!.push({ topic, partition: p });
    });
  }
  return result;
}
