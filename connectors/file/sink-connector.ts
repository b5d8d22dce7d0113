/** FileStreamSinkConnector: records of topics appended to a file (or stdout), one line each. */
import { SinkConnector, type ConfigSpec } from '../../runtime/api/index.js';
import { sinkSpec } from './config.js';
import { FileStreamSinkTask } from './sink-task.js';
import { VERSION } from './version.js';

export class FileStreamSinkConnector extends SinkConnector {
  private props: Record<string, string> = {};

  version(): string {
    return VERSION;
  }

  config(): ConfigSpec {
    return sinkSpec();
  }

  start(props: Record<string, string>): void {
    sinkSpec().parse(props, 'FileStreamSinkConnector');
    this.props = props;
  }

  taskClass() {
    return FileStreamSinkTask;
  }

  taskConfigs(maxTasks: number): Array<Record<string, string>> {
    return Array.from({ length: maxTasks }, () => ({ ...this.props }));
  }

  stop(): void {}
}
