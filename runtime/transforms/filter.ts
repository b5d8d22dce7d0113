/** Filter: drops every record. Used with a predicate (`transforms.x.predicate`) to drop some. */
import { ConfigSpec, type AnyRecord, type Transformation } from '../api/index.js';

export const FILTER_CONFIG = new ConfigSpec();

export class Filter implements Transformation {
  configure(_configs: Record<string, string>): void {}

  apply<R extends AnyRecord>(_record: R): R | null {
    return null;
  }

  config(): ConfigSpec {
    return FILTER_CONFIG;
  }

  close(): void {}
}
