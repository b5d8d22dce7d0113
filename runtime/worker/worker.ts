/**
 * The Worker runs connector and task instances on this process. It knows nothing of where configs
 * come from: a Herder tells it what to run, and it reports statuses back through listeners.
 */
import { ConfigError, traceOf } from '../api/errors.js';
import type { SinkConnector, SourceConnector } from '../api/connector.js';
import { getLogger, withLogContext } from '../api/logger.js';
import type { TaskProgress } from '../api/progress.js';
import { withPrefix, type ParsedConfig } from '../config/config-spec.js';
import type { ConnectorTaskId, TargetState } from '../herder/herder.js';
import type { Log, Producer } from '../log/log.js';
import type { MetricsRegistry } from '../metrics/registry.js';
import type { OffsetStore } from '../stores/offset-store.js';
import { sinkConnectorConfigSpec, sourceConnectorConfigSpec } from './connector-config.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { errorSettings } from './error-handler.js';
import type { PluginRegistry } from './plugins.js';
import { SinkTaskRunner } from './sink-task-runner.js';
import { SourceTaskRunner } from './source-task-runner.js';
import { createTaskConverters } from './task-converters.js';
import { TaskMetrics } from './task-metrics.js';
import { createTransformer } from './transforms.js';
import type { TaskStatusListener, WorkerTask } from './worker-task.js';
import { TopicCreation } from './topic-creation.js';

const log = getLogger('worker');

export interface ConnectorStatusListener {
  onStartup(name: string): void;
  onPause(name: string): void;
  onStop(name: string): void;
  onFailure(name: string, trace: string): void;
  onShutdown(name: string): void;
  /** The connector asked for its task configs to be generated again. */
  onReconfigurationRequest(name: string): void;
}

interface RunningConnector {
  instance: SourceConnector | SinkConnector;
  config: Record<string, string>;
  state: TargetState;
}

export interface WorkerDeps {
  workerId: string;
  workerConfig: ParsedConfig;
  log: Log;
  plugins: PluginRegistry;
  offsetStore: OffsetStore;
  metrics: MetricsRegistry;
  /** Replaces ${provider:path:key} placeholders; configs are stored with placeholders only. */
  resolveConfig: (config: Record<string, string>) => Promise<Record<string, string>>;
}

export class Worker {
  private readonly connectors = new Map<string, RunningConnector>();
  private readonly tasks = new Map<string, WorkerTask>();
  private producer: Producer | null = null;

  private id: string;

  constructor(private readonly deps: WorkerDeps) {
    this.id = deps.workerId;
  }

  /** The worker's topic.creation.enable: source connectors may create their topics (topic-creation.ts). */
  get topicCreationEnabled(): boolean {
    return this.deps.workerConfig.getBoolean('topic.creation.enable');
  }

  /** host:port of the REST API, as Kafka Connect names workers. */
  get workerId(): string {
    return this.id;
  }

  /** The REST port is known only once the server listens (port 0 picks one), after construction. */
  setWorkerId(id: string): void {
    this.id = id;
  }

  /** A new connector instance for this config (for validation, type lookups and running). */
  instantiate(config: Record<string, string>): SourceConnector | SinkConnector {
    const className = config['connector.class'];
    if (!className) throw new ConfigError('Missing required configuration "connector.class" which has no default value.', { 'connector.class': ['Missing required configuration "connector.class" which has no default value.'] });
    return this.deps.plugins.resolve(className, ['source', 'sink'], 'connector.class').create();
  }

  /** From the plugin's descriptor: no connector is created for a status or info answer. */
  connectorType(config: Record<string, string>): 'source' | 'sink' | 'unknown' {
    const className = config['connector.class'];
    return (className && this.deps.plugins.find(className, ['source', 'sink'])?.kind) || 'unknown';
  }

  isRunning(name: string): boolean {
    return this.connectors.has(name);
  }

  /** What the task last reported through reportProgress, while it runs on this worker. */
  taskProgress(id: ConnectorTaskId): TaskProgress | null {
    return this.tasks.get(taskKey(id))?.progress ?? null;
  }

  runningTasks(): ConnectorTaskId[] {
    return [...this.tasks.values()].map((t) => t.id);
  }

  /** Starts a connector in the given target state; a failure is reported through the listener, not thrown. */
  async startConnector(name: string, config: Record<string, string>, state: TargetState, listener: ConnectorStatusListener): Promise<boolean> {
    if (this.connectors.has(name)) throw new Error(`connector ${name} is already running on this worker`);
    return withLogContext(name, async () => {
      try {
        const instance = this.instantiate(config);
        instance.initialize({
          requestTaskReconfiguration: () => listener.onReconfigurationRequest(name),
          raiseError: (error) => {
            log.error('connector raised an error', error);
            listener.onFailure(name, traceOf(error));
          },
        });
        const resolved = await this.deps.resolveConfig(config);
        const running: RunningConnector = { instance, config, state };
        if (state !== 'STOPPED') await instance.start(resolved);
        this.connectors.set(name, running);
        if (state === 'PAUSED') listener.onPause(name);
        else if (state === 'STOPPED') listener.onStop(name);
        else listener.onStartup(name);
        log.info(`connector started (${state})`);
        return true;
      } catch (e) {
        log.error('failed to start connector', e);
        listener.onFailure(name, traceOf(e));
        return false;
      }
    });
  }

  async connectorTaskConfigs(name: string, maxTasks: number): Promise<Array<Record<string, string>>> {
    const running = this.connectors.get(name);
    if (!running) throw new Error(`connector ${name} is not running on this worker`);
    const configs = await withLogContext(name, () => running.instance.taskConfigs(maxTasks));
    const enforce = running.config['tasks.max.enforce'] !== 'false';
    if (configs.length > maxTasks && enforce) {
      throw new ConfigError(`The connector ${name} has generated ${configs.length} tasks, which is greater than ${maxTasks}, the maximum number of tasks it is configured to create.`);
    }
    const taskClass = running.instance.taskClass().name;
    const resolved = await this.deps.resolveConfig(running.config);
    // Kafka adds task.class to every task config; keep it for topics written by either runtime.
    return configs.map((c) => ({ ...reverseResolve(running.config, resolved, c), 'task.class': c['task.class'] ?? taskClass }));
  }

  async setConnectorState(name: string, state: TargetState, listener: ConnectorStatusListener): Promise<void> {
    const running = this.connectors.get(name);
    if (!running || running.state === state) return;
    if (state === 'STOPPED') {
      await this.stopConnector(name, listener);
      await this.startConnector(name, running.config, 'STOPPED', listener);
      return;
    }
    if (running.state === 'STOPPED') {
      this.connectors.delete(name);
      await this.startConnector(name, running.config, state, listener);
      return;
    }
    running.state = state;
    if (state === 'PAUSED') listener.onPause(name);
    else listener.onStartup(name);
  }

  async stopConnector(name: string, listener: ConnectorStatusListener): Promise<void> {
    const running = this.connectors.get(name);
    if (!running) return;
    this.connectors.delete(name);
    if (running.state !== 'STOPPED') {
      try {
        await withLogContext(name, () => running.instance.stop());
      } catch (e) {
        log.error('error while stopping connector', e);
      }
    }
    listener.onShutdown(name);
  }

  /** Starts one task; a failure is reported through the listener. */
  async startTask(id: ConnectorTaskId, connectorConfig: Record<string, string>, taskConfig: Record<string, string>, state: TargetState, listener: TaskStatusListener): Promise<void> {
    const key = taskKey(id);
    if (this.tasks.has(key)) throw new Error(`task ${key} is already running on this worker`);
    try {
      const runner = await this.buildTask(id, connectorConfig, taskConfig, state, listener);
      this.tasks.set(key, runner);
      runner.start();
    } catch (e) {
      log.error(`[${id.connector}|task-${id.task}] failed to start task`, e);
      listener.onFailure(id, traceOf(e));
    }
  }

  setTaskState(id: ConnectorTaskId, state: TargetState): void {
    this.tasks.get(taskKey(id))?.transition(state);
  }

  /** Stops tasks, each bounded by task.shutdown.graceful.timeout.ms. */
  async stopTasks(ids: ConnectorTaskId[]): Promise<void> {
    const timeout = this.deps.workerConfig.getInt('task.shutdown.graceful.timeout.ms');
    await Promise.all(
      ids.map(async (id) => {
        const runner = this.tasks.get(taskKey(id));
        if (!runner) return;
        this.tasks.delete(taskKey(id));
        await runner.stop(timeout);
      }),
    );
  }

  tasksOf(name: string): ConnectorTaskId[] {
    return [...this.tasks.values()].filter((t) => t.id.connector === name).map((t) => t.id);
  }

  async stop(listener: ConnectorStatusListener): Promise<void> {
    await this.stopTasks(this.runningTasks());
    for (const name of [...this.connectors.keys()]) await this.stopConnector(name, listener);
    await this.producer?.close();
    this.producer = null;
  }

  private sharedProducer(): Producer {
    this.producer ??= this.deps.log.producer({ clientId: `${this.deps.workerConfig.getString('client.id') || 'connector-producer'}` });
    return this.producer;
  }

  private async buildTask(id: ConnectorTaskId, connectorConfig: Record<string, string>, taskConfig: Record<string, string>, state: TargetState, listener: TaskStatusListener): Promise<WorkerTask> {
    const resolvedConnector = await this.deps.resolveConfig(connectorConfig);
    const resolvedTask = await this.deps.resolveConfig(taskConfig);
    const connector = this.instantiate(connectorConfig);
    const workerProps = this.deps.workerConfig.originals;
    const converters = createTaskConverters(this.deps.plugins, resolvedConnector, workerProps);
    const transformer = createTransformer(resolvedConnector, this.deps.plugins);
    const flushMs = this.deps.workerConfig.getInt('offset.flush.interval.ms');
    if (connector.type === 'source') {
      const parsed = sourceConnectorConfigSpec().parse(resolvedConnector, `connector ${id.connector}`);
      const TaskClass = (connector as SourceConnector).taskClass();
      return new SourceTaskRunner(id, listener, state, {
        task: new TaskClass(),
        taskConfig: resolvedTask,
        converters,
        transformer,
        producer: this.sharedProducer(),
        admin: this.deps.log.admin(),
        offsetStore: this.deps.offsetStore,
        errors: errorSettings(parsed),
        metrics: new TaskMetrics(this.deps.metrics, id.connector, id.task, 'source'),
        offsetFlushIntervalMs: flushMs,
        topicCreation: TopicCreation.fromConfig(resolvedConnector, this.topicCreationEnabled),
      });
    }
    const parsed = sinkConnectorConfigSpec().parse(resolvedConnector, `connector ${id.connector}`);
    const topicsRegex = parsed.getString('topics.regex');
    const dlqTopic = parsed.getString('errors.deadletterqueue.topic.name');
    const TaskClass = (connector as SinkConnector).taskClass();
    const consumerOverrides = withPrefix(resolvedConnector, 'consumer.override.');
    return new SinkTaskRunner(id, listener, state, {
      task: new TaskClass(),
      taskConfig: resolvedTask,
      converters,
      transformer,
      consumer: this.deps.log.consumer({
        groupId: `connect-${id.connector}`,
        clientId: `connector-consumer-${id.connector}-${id.task}`,
        autoOffsetReset: consumerOverrides['auto.offset.reset'] === 'latest' ? 'latest' : 'earliest',
        maxPollRecords: Number(consumerOverrides['max.poll.records'] ?? 500),
      }),
      topics: topicsRegex ? new RegExp(`^(?:${topicsRegex})$`) : parsed.getList('topics'),
      dlq: dlqTopic ? new DeadLetterQueue(this.sharedProducer(), { topic: dlqTopic, contextHeaders: parsed.getBoolean('errors.deadletterqueue.context.headers.enable') }, id.connector, id.task) : null,
      errors: errorSettings(parsed),
      metrics: new TaskMetrics(this.deps.metrics, id.connector, id.task, 'sink'),
      offsetFlushIntervalMs: flushMs,
    });
  }
}

/**
 * Task configs are stored, so a secret a provider resolved must go back to its placeholder: every
 * task value equal to the resolved value of a connector key that holds a placeholder gets the
 * placeholder again, as Kafka Connect does before writing task configs.
 */
function reverseResolve(raw: Record<string, string>, resolved: Record<string, string>, task: Record<string, string>): Record<string, string> {
  const out = { ...task };
  for (const [key, value] of Object.entries(raw)) {
    if (!value.includes('${') || out[key] === undefined) continue;
    if (out[key] === resolved[key]) out[key] = value;
  }
  return out;
}

export function taskKey(id: ConnectorTaskId): string {
  return `${id.connector}-${id.task}`;
}

