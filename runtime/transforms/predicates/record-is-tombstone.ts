/** RecordIsTombstone: true for records with a null value (deletes in a compacted topic). */
import { ConfigSpec, type AnyRecord, type Predicate } from '../../api/index.js';

export const RECORD_IS_TOMBSTONE_CONFIG = new ConfigSpec();

export class RecordIsTombstone implements Predicate {
  configure(_configs: Record<string, string>): void {}

  test(record: AnyRecord): boolean {
    return record.value === null;
  }

  config(): ConfigSpec {
    return RECORD_IS_TOMBSTONE_CONFIG;
  }

  close(): void {}
}
