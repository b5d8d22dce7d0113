/** What a task runner needs of a connector's transform chain. */
import type { AnyRecord } from '../api/records.js';

export interface RecordTransformer {
  /** The transformed record, or null when a transform dropped it. */
  apply<R extends AnyRecord>(record: R): R | null;
  close(): void;
}

export const IDENTITY: RecordTransformer = {
  apply: (record) => record,
  close: () => {},
};
