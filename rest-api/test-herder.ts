/**
 * A small in-memory Herder for the REST route tests: it keeps connectors in a Map and throws the
 * runtime's errors where a real herder would, so the tests see what a curl user would see.
 */
import { AlreadyExistsError, BadRequestError, ConfigError, NotFoundError } from '../runtime/api/errors.js';
import type { LogLevel } from '../runtime/api/logger.js';
import type {
  ConfigInfos,
  ConfigKeyInfo,
  ConnectorInfo,
  ConnectorOffset,
  ConnectorStateInfo,
  ConnectorType,
  CreateOptions,
  Herder,
  LoggerLevel,
  PluginInfo,
  RestartOptions,
  TargetState,
  TaskInfo,
  TaskStateInfo,
} from '../runtime/herder/herder.js';

interface StoredConnector {
  config: Record<string, string>;
  target: TargetState;
  offsets: ConnectorOffset[];
  topics: string[];
  failedTasks: Set<number>;
}

const PLUGINS: PluginInfo[] = [
  { class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: '4.0.0' },
  { class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '4.0.0' },
  { class: 'org.apache.kafka.connect.transforms.InsertField$Value', type: 'transformation', version: '4.0.0' },
];

const CLASS_KEY: ConfigKeyInfo = {
  name: 'connector.class', type: 'STRING', required: true, default_value: null, importance: 'HIGH',
  documentation: 'Name or alias of the connector class', group: 'Common', width: 'LONG',
  display_name: 'Connector class', dependents: [], order: 2,
};
const TASKS_KEY: ConfigKeyInfo = {
  name: 'tasks.max', type: 'INT', required: false, default_value: '1', importance: 'HIGH',
  documentation: 'Maximum number of tasks', group: 'Common', width: 'SHORT',
  display_name: 'Tasks max', dependents: [], order: 3,
};

export class TestHerder implements Herder {
  readonly workerId = '127.0.0.1:8083';
  ready = true;
  /** When set, the next herder call throws it (to test how unexpected errors are answered). */
  nextError: unknown;
  /** Connectors `connectors()` lists but every lookup says are gone (deleted mid-request). */
  readonly vanished = new Set<string>();
  readonly stored = new Map<string, StoredConnector>();
  readonly levels = new Map<string, LoggerLevel>([['root', { level: 'INFO', last_modified: null }]]);
  /** Calls made, as `method name`, so a test can check what reached the herder. */
  readonly calls: string[] = [];

  async serverInfo() {
    this.enter('serverInfo');
    return { version: '4.0.0-tsconnect', commit: 'abc123', kafka_cluster_id: 'test-cluster' };
  }

  isReady(): boolean {
    return this.ready;
  }

  async connectors(): Promise<string[]> {
    this.enter('connectors');
    return [...this.stored.keys(), ...this.vanished].sort();
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    this.enter('connectorInfo', name);
    const c = this.get(name);
    return { name, config: { ...c.config }, tasks: this.taskIds(name, c).map((task) => ({ connector: name, task })), type: typeOf(c.config) };
  }

  async connectorConfig(name: string): Promise<Record<string, string>> {
    this.enter('connectorConfig', name);
    return { ...this.get(name).config };
  }

  async putConnectorConfig(name: string, config: Record<string, string>, options: CreateOptions) {
    this.enter('putConnectorConfig', name);
    const existing = this.stored.get(name);
    if (existing && !options.allowReplace) throw new AlreadyExistsError(`Connector ${name} already exists`);
    validate(config);
    this.stored.set(name, {
      config: { ...config },
      target: existing?.target ?? options.initialState ?? 'STARTED',
      offsets: existing?.offsets ?? [],
      topics: existing?.topics ?? [],
      failedTasks: existing?.failedTasks ?? new Set(),
    });
    return { created: !existing, info: await this.connectorInfo(name) };
  }

  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    this.enter('patchConnectorConfig', name);
    const c = this.get(name);
    const config = { ...c.config };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete config[key];
      else config[key] = value;
    }
    validate(config);
    c.config = config;
    return this.connectorInfo(name);
  }

  async deleteConnector(name: string): Promise<void> {
    this.enter('deleteConnector', name);
    this.get(name);
    this.stored.delete(name);
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    this.enter('connectorStatus', name);
    const c = this.get(name);
    const state = c.target === 'STARTED' ? 'RUNNING' : c.target;
    const tasks = this.taskIds(name, c).map((id) => this.taskState(c, id));
    return { name, connector: { state, worker_id: this.workerId }, tasks, type: typeOf(c.config) };
  }

  async taskStatus(name: string, task: number): Promise<TaskStateInfo> {
    this.enter('taskStatus', `${name} ${task}`);
    const c = this.get(name);
    if (!this.taskIds(name, c).includes(task)) throw new NotFoundError(`No status found for task ${name}-${task}`);
    return this.taskState(c, task);
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    this.enter('taskConfigs', name);
    const c = this.get(name);
    return this.taskIds(name, c).map((task) => ({ id: { connector: name, task }, config: { 'task.class': 'TestTask', topic: c.config.topic ?? '' } }));
  }

  async restartConnector(name: string, options: RestartOptions): Promise<ConnectorStateInfo | null> {
    this.enter('restartConnector', `${name} includeTasks=${options.includeTasks} onlyFailed=${options.onlyFailed}`);
    this.get(name);
    if (!options.includeTasks && !options.onlyFailed) return null;
    const status = await this.connectorStatus(name);
    if (!options.onlyFailed) status.connector.state = 'RESTARTING';
    if (options.includeTasks) {
      for (const task of status.tasks) if (!options.onlyFailed || task.state === 'FAILED') task.state = 'RESTARTING';
    }
    return status;
  }

  async restartTask(name: string, task: number): Promise<void> {
    this.enter('restartTask', `${name} ${task}`);
    const c = this.get(name);
    if (!this.taskIds(name, c).includes(task)) throw new NotFoundError(`Task ${name}-${task} not found`);
    c.failedTasks.delete(task);
  }

  async pauseConnector(name: string): Promise<void> {
    this.enter('pauseConnector', name);
    this.get(name).target = 'PAUSED';
  }

  async resumeConnector(name: string): Promise<void> {
    this.enter('resumeConnector', name);
    this.get(name).target = 'STARTED';
  }

  async stopConnector(name: string): Promise<void> {
    this.enter('stopConnector', name);
    this.get(name).target = 'STOPPED';
  }

  async connectorOffsets(name: string): Promise<{ offsets: ConnectorOffset[] }> {
    this.enter('connectorOffsets', name);
    return { offsets: structuredClone(this.get(name).offsets) };
  }

  async alterConnectorOffsets(name: string, offsets: ConnectorOffset[]): Promise<{ message: string }> {
    this.enter('alterConnectorOffsets', name);
    const c = this.stopped(name);
    for (const { partition, offset } of offsets) {
      const key = JSON.stringify(partition);
      c.offsets = c.offsets.filter((o) => JSON.stringify(o.partition) !== key);
      if (offset !== null) c.offsets.push({ partition, offset });
    }
    return { message: 'The offsets for this connector have been altered successfully' };
  }

  async resetConnectorOffsets(name: string): Promise<{ message: string }> {
    this.enter('resetConnectorOffsets', name);
    this.stopped(name).offsets = [];
    return { message: 'The offsets for this connector have been reset successfully' };
  }

  async connectorActiveTopics(name: string): Promise<{ topics: string[] }> {
    this.enter('connectorActiveTopics', name);
    return { topics: [...this.get(name).topics] };
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    this.enter('resetConnectorActiveTopics', name);
    this.get(name).topics = [];
  }

  async plugins(connectorsOnly: boolean): Promise<PluginInfo[]> {
    this.enter('plugins', String(connectorsOnly));
    return PLUGINS.filter((p) => !connectorsOnly || p.type === 'source' || p.type === 'sink');
  }

  async pluginConfig(pluginName: string): Promise<ConfigKeyInfo[]> {
    this.enter('pluginConfig', pluginName);
    pluginOf(pluginName);
    return [CLASS_KEY, TASKS_KEY];
  }

  async validateConnectorConfig(pluginName: string, config: Record<string, string>): Promise<ConfigInfos> {
    this.enter('validateConnectorConfig', pluginName);
    const errors = configErrors(config);
    const value = (key: string) => ({ name: key, value: config[key] ?? null, recommended_values: [], errors: errors[key] ?? [], visible: true });
    return {
      name: pluginOf(pluginName).class,
      error_count: Object.values(errors).flat().length,
      groups: ['Common'],
      configs: [
        { definition: CLASS_KEY, value: value('connector.class') },
        { definition: TASKS_KEY, value: value('tasks.max') },
      ],
    };
  }

  async loggers(): Promise<Record<string, LoggerLevel>> {
    this.enter('loggers');
    return Object.fromEntries(this.levels);
  }

  async logger(name: string): Promise<LoggerLevel> {
    this.enter('logger', name);
    const level = this.levels.get(name);
    if (!level) throw new NotFoundError(`Logger ${name} not found.`);
    return level;
  }

  async setLoggerLevel(name: string, level: LogLevel): Promise<string[]> {
    this.enter('setLoggerLevel', `${name} ${level}`);
    const changed = [name, ...[...this.levels.keys()].filter((k) => k.startsWith(`${name}.`))];
    for (const key of changed) this.levels.set(key, { level, last_modified: 1700000000000 });
    return changed;
  }

  async metrics(): Promise<string> {
    this.enter('metrics');
    return `# TYPE connect_worker_connector_count gauge\nconnect_worker_connector_count ${this.stored.size}\n`;
  }

  private enter(method: string, arg?: string): void {
    this.calls.push(arg === undefined ? method : `${method} ${arg}`);
    if (this.nextError !== undefined) {
      const err = this.nextError;
      this.nextError = undefined;
      throw err;
    }
  }

  private get(name: string): StoredConnector {
    const c = this.stored.get(name);
    if (!c) throw new NotFoundError(`Connector ${name} not found`);
    return c;
  }

  private stopped(name: string): StoredConnector {
    const c = this.get(name);
    if (c.target !== 'STOPPED') {
      throw new BadRequestError(`Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`);
    }
    return c;
  }

  private taskIds(_name: string, c: StoredConnector): number[] {
    if (c.target === 'STOPPED') return [];
    return Array.from({ length: Number(c.config['tasks.max'] ?? '1') }, (_, i) => i);
  }

  private taskState(c: StoredConnector, id: number): TaskStateInfo {
    if (c.failedTasks.has(id)) return { id, state: 'FAILED', worker_id: this.workerId, trace: 'java.lang.RuntimeException: boom' };
    return { id, state: c.target === 'STARTED' ? 'RUNNING' : c.target, worker_id: this.workerId };
  }
}

function pluginOf(name: string): PluginInfo {
  const plugin = PLUGINS.find((p) => p.class === name || p.class.endsWith(`.${name}`) || p.class.endsWith(`.${name}Connector`));
  if (!plugin) throw new NotFoundError(`Unknown plugin ${name}`);
  return plugin;
}

function typeOf(config: Record<string, string>): ConnectorType {
  const cls = config['connector.class'] ?? '';
  return cls.includes('Sink') ? 'sink' : cls.includes('Source') ? 'source' : 'unknown';
}

function configErrors(config: Record<string, string>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const cls = config['connector.class'];
  if (cls === undefined) errors['connector.class'] = ['Missing required configuration "connector.class" which has no default value.'];
  else if (!PLUGINS.some((p) => p.class === cls || p.class.endsWith(`.${cls}`) || p.class.endsWith(`.${cls}Connector`))) {
    errors['connector.class'] = [`Failed to find any class that implements Connector and which name matches ${cls}`];
  }
  const tasks = config['tasks.max'];
  if (tasks !== undefined && !/^[1-9]\d*$/.test(tasks)) errors['tasks.max'] = [`Invalid value ${tasks} for configuration tasks.max: must be a positive integer`];
  return errors;
}

function validate(config: Record<string, string>): void {
  const errors = configErrors(config);
  const count = Object.values(errors).flat().length;
  if (count > 0) throw new ConfigError(`Connector configuration is invalid and contains the following ${count} error(s):`, errors);
}
