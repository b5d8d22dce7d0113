/**
 * What a task reports about a long job (a CDC snapshot, a backfill, a bulk load) so a user can see
 * how far it got. Kafka Connect's task status has no such field: the runtime adds it as `progress`
 * on the task's entry in the REST status answers, keeps it in memory only (it changes per batch),
 * and drops it when the task stops.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface TaskProgress {
  /** What the task is doing, in the connector's words: `snapshot`, `streaming`, `backfill`. */
  phase: string;
  /** What `done` and `estimated` count: `rows`, `files`, `bytes`. */
  unit?: string;
  /** How many units of this phase are done. */
  done?: number;
  /** How many units the phase should reach; may be an estimate that changes as the job runs. */
  estimated?: number;
  /** Anything else the connector wants shown, e.g. `{ tables: [{ table, done, estimated, complete }] }`. */
  detail?: { [key: string]: JsonValue };
}
