/**
 * In-process consumer groups, with Kafka's eager rebalance protocol: when membership or the
 * partitions of the subscribed topics change, every member gives up (revokes) what it holds at its
 * next poll, and only once all have done so does the group hand out the new range assignment. So
 * a partition never has two readers in one process, and the old owner's revoke listener (where it
 * commits) runs before the new owner reads. A member that does not poll within the rebalance
 * timeout (Kafka's max.poll.interval.ms) is left out of the wait so the others can go on.
 *
 * Membership lives in this process only: consumers of one group in two processes do not see each
 * other and would both read every partition.
 */
import type { TopicPartition } from '../log.js';
import { rangeAssign } from './range-assignor.js';

export interface GroupMember {
  readonly id: string;
  readonly groupId: string;
  subscription: string[] | RegExp;
  /** True from taking an assignment until its revoke listener has finished. */
  holds: boolean;
  /** Generation of the assignment the member took last (-1: none yet). */
  generation: number;
  /** Makes a poll of this member look at the group again. */
  wake: () => void;
}

interface Group {
  members: Map<string, GroupMember>;
  generation: number;
  rebalancing: boolean;
  rebalanceStartedAt: number;
  assignment: Map<string, TopicPartition[]>;
  /** The subscribed topics and their partition counts the current assignment was made from. */
  fingerprint: string;
}

export type TopicCounts = () => Array<{ name: string; partitions: number }>;

export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private seq = 0;

  constructor(
    private readonly topics: TopicCounts,
    private readonly rebalanceTimeoutMs: number,
  ) {}

  join(groupId: string, clientId: string, subscription: string[] | RegExp, wake: () => void): GroupMember {
    let group = this.groups.get(groupId);
    if (!group) {
      group = { members: new Map(), generation: 0, rebalancing: false, rebalanceStartedAt: 0, assignment: new Map(), fingerprint: '' };
      this.groups.set(groupId, group);
    }
    // Zero-padded so that sorting ids (as the range assignor does) follows join order.
    const id = `${clientId}-${String(++this.seq).padStart(6, '0')}`;
    const member: GroupMember = { id, groupId, subscription, holds: false, generation: -1, wake };
    group.members.set(id, member);
    this.startRebalance(group);
    return member;
  }

  resubscribe(member: GroupMember, subscription: string[] | RegExp): void {
    member.subscription = subscription;
    const group = this.groups.get(member.groupId);
    if (group) this.startRebalance(group);
  }

  leave(member: GroupMember): void {
    const group = this.groups.get(member.groupId);
    if (!group || !group.members.delete(member.id)) return;
    if (group.members.size === 0) this.groups.delete(member.groupId);
    else this.startRebalance(group);
  }

  /** The member's share when the group is stable and it has not taken it yet; else null. */
  pendingAssignment(member: GroupMember): { generation: number; partitions: TopicPartition[] } | null {
    const group = this.groups.get(member.groupId);
    if (!group || group.rebalancing || member.holds || member.generation === group.generation) return null;
    return { generation: group.generation, partitions: group.assignment.get(member.id) ?? [] };
  }

  /** Whether the member must give up what it holds (a rebalance started after it took its share). */
  mustRevoke(member: GroupMember): boolean {
    const group = this.groups.get(member.groupId);
    return member.holds && !!group && (group.rebalancing || member.generation !== group.generation);
  }

  revoked(member: GroupMember): void {
    member.holds = false;
    const group = this.groups.get(member.groupId);
    if (group) this.tryComplete(group);
  }

  /** Re-reads topic metadata and starts rebalances for groups whose subscribed partitions changed. */
  metadataChanged(): void {
    for (const group of this.groups.values()) {
      if (!group.rebalancing && this.fingerprint(group) !== group.fingerprint) this.startRebalance(group);
      else this.tryComplete(group);
    }
  }

  hasMembers(groupId: string): boolean {
    return (this.groups.get(groupId)?.members.size ?? 0) > 0;
  }

  activeGroups(): string[] {
    return [...this.groups.keys()];
  }

  private startRebalance(group: Group): void {
    if (!group.rebalancing) {
      group.rebalancing = true;
      group.rebalanceStartedAt = Date.now();
    }
    this.tryComplete(group);
    for (const m of group.members.values()) m.wake();
  }

  private tryComplete(group: Group): void {
    if (!group.rebalancing) return;
    const waiting = [...group.members.values()].some((m) => m.holds);
    if (waiting && Date.now() - group.rebalanceStartedAt < this.rebalanceTimeoutMs) return;
    const counts = this.subscribedCounts(group);
    const members = [...group.members.values()].map((m) => ({ id: m.id, topics: this.matching(m.subscription, counts) }));
    group.assignment = rangeAssign(members, counts);
    group.fingerprint = this.fingerprint(group);
    group.generation++;
    group.rebalancing = false;
    for (const m of group.members.values()) m.wake();
  }

  private matching(subscription: string[] | RegExp, counts: Map<string, number>): string[] {
    const names = [...counts.keys()];
    if (subscription instanceof RegExp) {
      return names.filter((n) => {
        subscription.lastIndex = 0;
        return subscription.test(n);
      });
    }
    return names.filter((n) => subscription.includes(n));
  }

  private subscribedCounts(group: Group): Map<string, number> {
    const all = new Map(this.topics().map((t) => [t.name, t.partitions]));
    const counts = new Map<string, number>();
    for (const m of group.members.values()) {
      for (const name of this.matching(m.subscription, all)) counts.set(name, all.get(name)!);
    }
    return counts;
  }

  private fingerprint(group: Group): string {
    return [...this.subscribedCounts(group)]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([t, n]) => `${t}:${n}`)
      .join(',');
  }
}
