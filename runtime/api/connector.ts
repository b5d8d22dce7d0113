/** Connectors: what a user configures. They split the work into task configs and watch the source. */
import type { ConfigSpec, ConfigValue } from '../config/config-spec.js';
import type { OffsetStorageReader } from './context.js';
import type { SourceMap } from './records.js';
import type { SinkTask, SourceTask } from './task.js';

export type Awaitable<T> = T | Promise<T>;

export interface ConnectorContext {
  /** Asks the runtime to call taskConfigs again (the source's shape changed). */
  requestTaskReconfiguration(): void;
  /** Fails the connector with this error; its status becomes FAILED with the trace. */
  raiseError(error: Error): void;
}

export interface SourceConnectorContext extends ConnectorContext {
  offsetStorageReader: OffsetStorageReader;
}

export abstract class Connector {
  protected context!: ConnectorContext;

  initialize(context: ConnectorContext): void {
    this.context = context;
  }

  abstract version(): string;
  abstract config(): ConfigSpec;
  abstract start(props: Record<string, string>): Awaitable<void>;
  /** At most `maxTasks` configs, one per task to run. */
  abstract taskConfigs(maxTasks: number): Awaitable<Array<Record<string, string>>>;
  abstract stop(): Awaitable<void>;

  /** Every key's outcome; a connector overrides this to add checks that span keys or reach the source. */
  validate(props: Record<string, string>): Awaitable<ConfigValue[]> {
    return this.config().validate(props);
  }
}

export abstract class SourceConnector extends Connector {
  readonly type = 'source' as const;
  abstract taskClass(): new () => SourceTask;

  /**
   * Called before the runtime writes offsets through `PATCH /connectors/{name}/offsets` (a null
   * offset removes one). Return true when the connector accepts them; throw to refuse with a reason.
   */
  alterOffsets(_config: Record<string, string>, _offsets: Map<SourceMap, SourceMap | null>): Awaitable<boolean> {
    return false;
  }
}

export abstract class SinkConnector extends Connector {
  readonly type = 'sink' as const;
  abstract taskClass(): new () => SinkTask;

  /** As SourceConnector.alterOffsets, for consumer offsets keyed `topic:partition`. */
  alterOffsets(_config: Record<string, string>, _offsets: Map<string, number | null>): Awaitable<boolean> {
    return true;
  }
}
