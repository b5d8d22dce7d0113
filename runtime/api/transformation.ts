/** Single message transforms and predicates, as Kafka Connect's Transformation and Predicate. */
import type { ConfigSpec } from '../config/config-spec.js';
import type { AnyRecord } from './records.js';

export interface Transformation {
  /** Throws a ConfigError listing every bad key. */
  configure(configs: Record<string, string>): void;
  /** A new record (records are immutable), the same one, or null to drop it. */
  apply<R extends AnyRecord>(record: R): R | null;
  config(): ConfigSpec;
  close(): void;
}

export interface Predicate {
  configure(configs: Record<string, string>): void;
  test(record: AnyRecord): boolean;
  config(): ConfigSpec;
  close(): void;
}
