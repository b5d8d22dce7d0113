/**
 * The standalone Herder: one worker, configs, offsets and statuses in the log's internal topics
 * (the embedded log by default), so a restart brings back every connector created over REST with
 * its target state and offsets. Every mutation runs through one queue: even on one thread, two
 * interleaved async mutations of the same connector would race.
 */
import { AlreadyExistsError, BadRequestError, ConfigError, NotFoundError } from '../api/errors.js';
import { getLogger, listLoggers, effectiveLevel, setLevel, type LogLevel } from '../api/logger.js';
import type { Log } from '../log/log.js';
import type { MetricsRegistry } from '../metrics/registry.js';
import type { ConfigStore } from '../stores/config-store.js';
import type { OffsetStore } from '../stores/offset-store.js';
import type { PluginRegistry } from '../worker/plugins.js';
import type { Worker } from '../worker/worker.js';
import { configKeyInfo, type ConfigInfos, type ConfigKeyInfo, type ConnectorInfo, type ConnectorOffset, type ConnectorStateInfo, type CreateOptions, type Herder, type LoggerLevel, type PluginInfo, type RestartOptions, type TaskInfo, type TaskStateInfo, type TargetState } from './herder.js';
import { alterOffsets, readOffsets, resetOffsets } from './offsets.js';
import { StatusBook } from './status-book.js';
import { throwIfInvalid, validateConnectorConfig } from './validation.js';
import type { StatusStore } from '../stores/status-store.js';
import { VERSION, COMMIT } from '../version.js';
import { CONNECTOR_PASSTHROUGH_PREFIXES } from '../worker/connector-config.js';

const log = getLogger('herder');

export interface StandaloneHerderDeps {
  worker: Worker;
  log: Log;
  plugins: PluginRegistry;
  configStore: ConfigStore;
  offsetStore: OffsetStore;
  statusStore: StatusStore;
  metrics: MetricsRegistry;
}

export class StandaloneHerder implements Herder {
  private readonly statuses: StatusBook;
  private queue: Promise<unknown> = Promise.resolve();
  private ready = false;
  private readonly removeMetrics: Array<() => void> = [];

  constructor(private readonly deps: StandaloneHerderDeps) {
    this.statuses = new StatusBook(deps.statusStore, () => this.workerId, (name) => {
      void this.enqueue(() => this.reconfigure(name)).catch((e: unknown) => log.error(`[${name}] task reconfiguration failed`, e));
    });
    const m = deps.metrics;
    this.removeMetrics.push(
      m.register('connect_worker_metrics', 'connector_count', 'gauge', 'Connectors run in this worker.', {}, () => deps.configStore.connectors().length),
      m.register('connect_worker_metrics', 'task_count', 'gauge', 'Tasks run in this worker.', {}, () => deps.worker.runningTasks().length),
    );
  }

  /** Starts every connector in the config topic, in its stored target state. */
  async start(): Promise<void> {
    await this.enqueue(async () => {
      for (const name of this.deps.configStore.connectors()) await this.startConnector(name);
    });
    this.ready = true;
  }

  async stop(): Promise<void> {
    this.ready = false;
    await this.enqueue(() => this.deps.worker.stop(this.statuses));
    await this.statuses.flush();
    for (const r of this.removeMetrics) r();
  }

  get workerId(): string {
    return this.deps.worker.workerId;
  }

  isReady(): boolean {
    return this.ready;
  }

  async serverInfo() {
    return { version: VERSION, commit: COMMIT, kafka_cluster_id: await this.deps.log.clusterId() };
  }

  async connectors(): Promise<string[]> {
    return this.deps.configStore.connectors();
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    const snap = this.snapshot(name);
    return {
      name,
      config: snap.config,
      tasks: snap.taskConfigs.map((_, task) => ({ connector: name, task })),
      type: this.deps.worker.connectorType(snap.config),
    };
  }

  async connectorConfig(name: string): Promise<Record<string, string>> {
    return this.snapshot(name).config;
  }

  putConnectorConfig(name: string, config: Record<string, string>, options: CreateOptions): Promise<{ created: boolean; info: ConnectorInfo }> {
    return this.enqueue(async () => {
      const full = { ...config, name };
      const existing = this.deps.configStore.snapshot(name);
      if (existing && !options.allowReplace) throw new AlreadyExistsError(`Connector ${name} already exists`);
      await this.validateOrThrow(name, full);
      if (existing) await this.stopConnectorAndTasks(name);
      await this.deps.configStore.putConnectorConfig(name, full, existing ? undefined : (options.initialState ?? 'STARTED'));
      log.info(`[${name}] connector config ${existing ? 'updated' : 'created'}`);
      await this.startConnector(name);
      return { created: !existing, info: await this.connectorInfo(name) };
    });
  }

  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    return this.enqueue(async () => {
      const current = this.snapshot(name).config;
      const next: Record<string, string> = { ...current };
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete next[k];
        else next[k] = v;
      }
      next.name = name;
      await this.validateOrThrow(name, next);
      await this.stopConnectorAndTasks(name);
      await this.deps.configStore.putConnectorConfig(name, next);
      await this.startConnector(name);
      return this.connectorInfo(name);
    });
  }

  deleteConnector(name: string): Promise<void> {
    return this.enqueue(async () => {
      this.snapshot(name);
      await this.stopConnectorAndTasks(name);
      await this.deps.configStore.removeConnectorConfig(name);
      this.statuses.removeConnector(name);
      log.info(`[${name}] connector deleted`);
    });
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const snap = this.snapshot(name);
    const c = this.statuses.connector(name);
    return {
      name,
      connector: { state: c?.state ?? 'UNASSIGNED', worker_id: c?.worker_id ?? this.workerId, ...(c?.trace ? { trace: c.trace } : {}) },
      tasks: snap.taskConfigs.map((_, id) => this.taskState(name, id)),
      type: this.deps.worker.connectorType(snap.config),
    };
  }

  async taskStatus(name: string, task: number): Promise<TaskStateInfo> {
    this.checkTask(name, task);
    return this.taskState(name, task);
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    return this.snapshot(name).taskConfigs.map((config, task) => ({ id: { connector: name, task }, config }));
  }

  restartConnector(name: string, options: RestartOptions): Promise<ConnectorStateInfo | null> {
    return this.enqueue(async () => {
      const snap = this.snapshot(name);
      if (!options.includeTasks && !options.onlyFailed) {
        await this.restartConnectorOnly(name);
        return null;
      }
      const connectorFailed = this.statuses.connector(name)?.state === 'FAILED';
      const restartConnector = !options.onlyFailed || connectorFailed;
      const tasks = options.includeTasks
        ? snap.taskConfigs.map((_, id) => id).filter((id) => !options.onlyFailed || this.statuses.task(name, id)?.state === 'FAILED')
        : [];
      if (restartConnector) this.statuses.setConnector(name, 'RESTARTING');
      for (const id of tasks) this.statuses.setTask({ connector: name, task: id }, 'RESTARTING');
      const answer = await this.connectorStatus(name);
      // Kafka answers 202 with the RESTARTING states and restarts afterwards.
      void this.enqueue(async () => {
        if (restartConnector) await this.restartConnectorOnly(name);
        for (const id of tasks) await this.restartOneTask(name, id);
      }).catch((e: unknown) => log.error(`[${name}] restart failed`, e));
      return answer;
    });
  }

  restartTask(name: string, task: number): Promise<void> {
    return this.enqueue(async () => {
      this.checkTask(name, task);
      await this.restartOneTask(name, task);
    });
  }

  pauseConnector(name: string): Promise<void> {
    return this.setTargetState(name, 'PAUSED');
  }

  resumeConnector(name: string): Promise<void> {
    return this.setTargetState(name, 'STARTED');
  }

  stopConnector(name: string): Promise<void> {
    return this.setTargetState(name, 'STOPPED');
  }

  async connectorOffsets(name: string): Promise<{ offsets: ConnectorOffset[] }> {
    const snap = this.snapshot(name);
    return { offsets: await readOffsets(this.offsetContext(), name, snap.config) };
  }

  alterConnectorOffsets(name: string, offsets: ConnectorOffset[]): Promise<{ message: string }> {
    return this.enqueue(async () => {
      const snap = this.requireStopped(name);
      return alterOffsets(this.offsetContext(), name, snap.config, offsets);
    });
  }

  resetConnectorOffsets(name: string): Promise<{ message: string }> {
    return this.enqueue(async () => {
      const snap = this.requireStopped(name);
      return resetOffsets(this.offsetContext(), name, snap.config);
    });
  }

  async connectorActiveTopics(name: string): Promise<{ topics: string[] }> {
    this.snapshot(name);
    await this.statuses.flush();
    return { topics: this.deps.statusStore.activeTopics(name) };
  }

  resetConnectorActiveTopics(name: string): Promise<void> {
    return this.enqueue(async () => {
      this.snapshot(name);
      await this.statuses.flush();
      await this.deps.statusStore.deleteTopics(name);
    });
  }

  async plugins(connectorsOnly: boolean): Promise<PluginInfo[]> {
    const kinds = connectorsOnly ? (['source', 'sink'] as const) : undefined;
    return this.deps.plugins.list(kinds ? [...kinds] : undefined).map((d) => ({ class: d.className, type: d.kind, version: d.version }));
  }

  async pluginConfig(pluginName: string): Promise<ConfigKeyInfo[]> {
    const d = this.deps.plugins.find(pluginName, ['source', 'sink', 'converter', 'header_converter', 'transformation', 'predicate']);
    if (!d) throw new NotFoundError(`Unknown plugin ${pluginName}.`);
    return d.create().config().definitions().map((def, i) => configKeyInfo(def, i + 1));
  }

  validateConnectorConfig(pluginName: string, config: Record<string, string>): Promise<ConfigInfos> {
    return validateConnectorConfig(this.deps.plugins, pluginName, config, { topicCreation: this.deps.worker.topicCreationEnabled });
  }

  async loggers(): Promise<Record<string, LoggerLevel>> {
    return Object.fromEntries(listLoggers().map((l) => [l.name, { level: l.level, last_modified: l.lastModified }]));
  }

  async logger(name: string): Promise<LoggerLevel> {
    const hit = listLoggers().find((l) => l.name === name);
    return { level: hit?.level ?? effectiveLevel(name), last_modified: hit?.lastModified ?? null };
  }

  async setLoggerLevel(name: string, level: LogLevel): Promise<string[]> {
    return setLevel(name, level);
  }

  async metrics(): Promise<string> {
    return this.deps.metrics.expose();
  }

  // ---- internals: everything below runs inside the queue ----

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private snapshot(name: string) {
    const snap = this.deps.configStore.snapshot(name);
    if (!snap) throw new NotFoundError(`Connector ${name} not found`);
    return snap;
  }

  private checkTask(name: string, task: number): void {
    const snap = this.snapshot(name);
    if (!Number.isInteger(task) || task < 0 || task >= snap.taskConfigs.length) throw new NotFoundError(`Task ${name}-${task} not found`);
  }

  private taskState(name: string, id: number): TaskStateInfo {
    const t = this.statuses.task(name, id);
    const progress = this.deps.worker.taskProgress({ connector: name, task: id });
    return { id, state: t?.state ?? 'UNASSIGNED', worker_id: t?.worker_id ?? this.workerId, ...(t?.trace ? { trace: t.trace } : {}), ...(progress ? { progress } : {}) };
  }

  private requireStopped(name: string) {
    const snap = this.snapshot(name);
    if (snap.targetState !== 'STOPPED') {
      throw new BadRequestError(`Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`);
    }
    return snap;
  }

  private async validateOrThrow(name: string, config: Record<string, string>): Promise<void> {
    const className = config['connector.class'];
    if (!className) {
      const msg = 'Missing required configuration "connector.class" which has no default value.';
      throw new ConfigError(`Connector configuration is invalid and contains the following 1 error(s):\n${msg}`, { 'connector.class': [msg] });
    }
    const infos = await validateConnectorConfig(this.deps.plugins, className, config, { topicCreation: this.deps.worker.topicCreationEnabled });
    throwIfInvalid(infos, name);
    const known = new Set(infos.configs.map((c) => c.value.name));
    const unknown = Object.keys(config).filter((k) => !known.has(k) && !CONNECTOR_PASSTHROUGH_PREFIXES.some((p) => k.startsWith(p)));
    if (unknown.length > 0) log.warn(`[${name}] these configurations were supplied but are not known keys of ${className}: ${unknown.join(', ')}`);
  }

  /** Starts the connector and, unless STOPPED, its tasks. */
  private async startConnector(name: string): Promise<void> {
    const snap = this.snapshot(name);
    const started = await this.deps.worker.startConnector(name, snap.config, snap.targetState, this.statuses);
    if (!started || snap.targetState === 'STOPPED') return;
    await this.reconfigure(name);
  }

  /** Asks the connector for task configs; writes and (re)starts tasks when they changed or are not running. */
  private async reconfigure(name: string): Promise<void> {
    const snap = this.snapshot(name);
    if (!this.deps.worker.isRunning(name) || snap.targetState === 'STOPPED') return;
    let configs: Array<Record<string, string>>;
    try {
      configs = await this.deps.worker.connectorTaskConfigs(name, Number(snap.config['tasks.max'] ?? 1));
    } catch (e) {
      this.statuses.onFailure(name, e instanceof Error ? (e.stack ?? e.message) : String(e));
      return;
    }
    const changed = JSON.stringify(configs) !== JSON.stringify(snap.taskConfigs);
    const running = this.deps.worker.tasksOf(name);
    if (!changed && running.length === configs.length) return;
    await this.deps.worker.stopTasks(running);
    if (changed) {
      await this.deps.configStore.putTaskConfigs(name, configs);
      for (let id = configs.length; id < snap.taskConfigs.length; id++) this.statuses.removeTask({ connector: name, task: id });
    }
    await this.startTasks(name);
  }

  private async startTasks(name: string): Promise<void> {
    const snap = this.snapshot(name);
    for (let task = 0; task < snap.taskConfigs.length; task++) {
      await this.deps.worker.startTask({ connector: name, task }, snap.config, snap.taskConfigs[task]!, snap.targetState, this.statuses);
    }
  }

  private async stopConnectorAndTasks(name: string): Promise<void> {
    await this.deps.worker.stopTasks(this.deps.worker.tasksOf(name));
    await this.deps.worker.stopConnector(name, this.statuses);
  }

  private async restartConnectorOnly(name: string): Promise<void> {
    await this.deps.worker.stopConnector(name, this.statuses);
    const snap = this.snapshot(name);
    const started = await this.deps.worker.startConnector(name, snap.config, snap.targetState, this.statuses);
    if (started && snap.targetState !== 'STOPPED') await this.reconfigure(name);
  }

  private async restartOneTask(name: string, task: number): Promise<void> {
    const id = { connector: name, task };
    await this.deps.worker.stopTasks([id]);
    const snap = this.snapshot(name);
    const config = snap.taskConfigs[task];
    if (!config || snap.targetState === 'STOPPED') return;
    await this.deps.worker.startTask(id, snap.config, config, snap.targetState, this.statuses);
  }

  private setTargetState(name: string, state: TargetState): Promise<void> {
    return this.enqueue(async () => {
      const before = this.snapshot(name).targetState;
      if (before === state) return;
      await this.deps.configStore.putTargetState(name, state);
        if (state === 'STOPPED') {
        const tasks = this.deps.worker.tasksOf(name);
        await this.deps.worker.stopTasks(tasks);
        // Kafka writes an empty task list for a stopped connector, so nothing runs on restart.
        const old = this.snapshot(name).taskConfigs.length;
        await this.deps.configStore.putTaskConfigs(name, []);
        for (let id = 0; id < old; id++) this.statuses.removeTask({ connector: name, task: id });
        await this.deps.worker.setConnectorState(name, 'STOPPED', this.statuses);
        return;
      }
      if (before === 'STOPPED' || !this.deps.worker.isRunning(name)) {
        await this.deps.worker.stopConnector(name, this.statuses);
        await this.startConnector(name);
        return;
      }
      await this.deps.worker.setConnectorState(name, state, this.statuses);
      for (const id of this.deps.worker.tasksOf(name)) this.deps.worker.setTaskState(id, state);
    });
  }

  private offsetContext() {
    return { log: this.deps.log, offsetStore: this.deps.offsetStore, worker: this.deps.worker };
  }
}
