/**
 * The dead letter queue of a sink connector: a record that failed under errors.tolerance=all is
 * written there as it was read (same key, value and headers bytes), with `__connect.errors.*`
 * headers saying where and why when errors.deadletterqueue.context.headers.enable=true.
 */
import type { LogHeader, LogRecord, Producer } from '../log/log.js';
import type { Stage } from './error-handler.js';

const enc = new TextEncoder();

export interface DlqSettings {
  topic: string;
  contextHeaders: boolean;
}

export class DeadLetterQueue {
  constructor(
    private readonly producer: Producer,
    private readonly settings: DlqSettings,
    private readonly connector: string,
    private readonly task: number,
  ) {}

  async report(record: LogRecord, stage: Stage, error: Error, executingClass: string): Promise<void> {
    const headers: LogHeader[] = [...record.headers];
    if (this.settings.contextHeaders) {
      const add = (k: string, v: string) => headers.push({ key: `__connect.errors.${k}`, value: enc.encode(v) });
      add('topic', record.topic);
      add('partition', String(record.partition));
      add('offset', String(record.offset));
      add('connector.name', this.connector);
      add('task.id', String(this.task));
      add('stage', stage);
      add('class.name', executingClass);
      add('exception.class.name', error.name);
      add('exception.message', error.message);
      add('exception.stacktrace', error.stack ?? error.message);
    }
    await this.producer.send([{ topic: this.settings.topic, key: record.key, value: record.value, headers, timestamp: record.timestamp }]);
  }
}
