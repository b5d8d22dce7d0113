/** FileStreamSourceConnector: lines of one file (or stdin) into one topic, one task. */
import { ConfigError, SourceConnector, type ConfigSpec, type SourceMap } from '../../runtime/api/index.js';
import { FILE_CONFIG, sourceSpec } from './config.js';
import { FileStreamSourceTask, OFFSET_FIELD, PARTITION_FIELD } from './source-task.js';
import { VERSION } from './version.js';

export class FileStreamSourceConnector extends SourceConnector {
  private props: Record<string, string> = {};

  version(): string {
    return VERSION;
  }

  config(): ConfigSpec {
    return sourceSpec();
  }

  start(props: Record<string, string>): void {
    sourceSpec().parse(props, 'FileStreamSourceConnector');
    this.props = props;
  }

  taskClass() {
    return FileStreamSourceTask;
  }

  taskConfigs(_maxTasks: number): Array<Record<string, string>> {
    // One file can only be read by one task: more would duplicate every line.
    return [{ ...this.props }];
  }

  stop(): void {}

  /** Offsets must name the file (`filename`) and a byte `position`, as the task writes them. */
  override alterOffsets(config: Record<string, string>, offsets: Map<SourceMap, SourceMap | null>): boolean {
    if (!config[FILE_CONFIG]) throw new ConfigError('Offsets cannot be modified when the connector reads standard input');
    for (const [partition, offset] of offsets) {
      if (typeof partition[PARTITION_FIELD] !== 'string') throw new ConfigError(`The partition ${JSON.stringify(partition)} must have a '${PARTITION_FIELD}' string`);
      if (offset === null) continue;
      const pos = offset[OFFSET_FIELD];
      if (typeof pos !== 'number' || !Number.isInteger(pos) || pos < 0) {
        throw new ConfigError(`The offset ${JSON.stringify(offset)} must have a '${OFFSET_FIELD}' that is a non-negative integer`);
      }
    }
    return true;
  }
}
