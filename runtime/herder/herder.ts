/**
 * The Herder: everything the REST API (and the CLI) can ask of a Connect cluster. Standalone and
 * distributed mode are two implementations of this one interface; REST handlers call nothing else.
 *
 * Shapes are Kafka Connect's REST bodies, so a handler can return them as they are.
 * Errors: NotFoundError (404), AlreadyExistsError (409), ConflictError (409), ConfigError (400,
 * listing every error), BadRequestError (400); see runtime/api/errors.ts.
 */
import type { ConfigKeyDef } from '../config/config-spec.js';
import type { PluginKind } from '../api/plugin.js';
import type { LogLevel } from '../api/logger.js';
import type { TaskProgress } from '../api/progress.js';

export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';
export type State = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING';
export type ConnectorType = 'source' | 'sink' | 'unknown';

export interface ConnectorTaskId {
  connector: string;
  task: number;
}

export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: ConnectorTaskId[];
  type: ConnectorType;
}

export interface StateInfo {
  state: State;
  worker_id: string;
  trace?: string;
  version?: string;
}

export interface TaskStateInfo extends StateInfo {
  id: number;
  /** Not in Kafka Connect: what the running task last reported through reportProgress; absent when nothing is reported. */
  progress?: TaskProgress;
}

export interface ConnectorStateInfo {
  name: string;
  connector: StateInfo;
  tasks: TaskStateInfo[];
  type: ConnectorType;
}

export interface TaskInfo {
  id: ConnectorTaskId;
  config: Record<string, string>;
}

/** One stored offset: source connectors use their own maps, sinks `{kafka_topic, kafka_partition}` / `{kafka_offset}`. */
export interface ConnectorOffset {
  partition: Record<string, unknown>;
  offset: Record<string, unknown> | null;
}

export interface PluginInfo {
  class: string;
  type: PluginKind;
  version: string;
}

/** `GET /connector-plugins/{plugin}/config` entry and the `definition` of a validate answer. */
export interface ConfigKeyInfo {
  name: string;
  type: string;
  required: boolean;
  default_value: string | null;
  importance: string;
  documentation: string;
  group: string | null;
  width: string;
  display_name: string;
  dependents: string[];
  order: number;
}

export interface ConfigValueInfo {
  name: string;
  value: string | null;
  recommended_values: unknown[];
  errors: string[];
  visible: boolean;
}

/** The `PUT /connector-plugins/{plugin}/config/validate` answer. */
export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  /** `definition` is null for a key the connector takes by pattern rather than by name. */
  configs: Array<{ definition: ConfigKeyInfo | null; value: ConfigValueInfo }>;
}

export interface LoggerLevel {
  level: LogLevel;
  last_modified: number | null;
}

export interface CreateOptions {
  /** PUT /connectors/{name}/config replaces; POST /connectors does not. */
  allowReplace: boolean;
  initialState?: TargetState;
}

export interface RestartOptions {
  includeTasks: boolean;
  onlyFailed: boolean;
}

export interface Herder {
  readonly workerId: string;
  /** The version, commit and cluster id `GET /` answers with. */
  serverInfo(): Promise<{ version: string; commit: string; kafka_cluster_id: string }>;
  /** Whether startup is done (for `GET /health`); false while stores are being read. */
  isReady(): boolean;

  connectors(): Promise<string[]>;
  connectorInfo(name: string): Promise<ConnectorInfo>;
  connectorConfig(name: string): Promise<Record<string, string>>;
  /** Validates then writes a connector config; `created` tells 201 from 200. */
  putConnectorConfig(name: string, config: Record<string, string>, options: CreateOptions): Promise<{ created: boolean; info: ConnectorInfo }>;
  /** Merges the patch into the config (a null value removes the key). */
  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo>;
  deleteConnector(name: string): Promise<void>;

  connectorStatus(name: string): Promise<ConnectorStateInfo>;
  taskStatus(name: string, task: number): Promise<TaskStateInfo>;
  taskConfigs(name: string): Promise<TaskInfo[]>;

  /** Resolves null when only the connector was restarted (HTTP 204); else the status as the restart leaves it (202). */
  restartConnector(name: string, options: RestartOptions): Promise<ConnectorStateInfo | null>;
  restartTask(name: string, task: number): Promise<void>;
  pauseConnector(name: string): Promise<void>;
  resumeConnector(name: string): Promise<void>;
  stopConnector(name: string): Promise<void>;

  /** Offsets of a connector; BadRequestError unless it is STOPPED for alter/reset. */
  connectorOffsets(name: string): Promise<{ offsets: ConnectorOffset[] }>;
  alterConnectorOffsets(name: string, offsets: ConnectorOffset[]): Promise<{ message: string }>;
  resetConnectorOffsets(name: string): Promise<{ message: string }>;

  connectorActiveTopics(name: string): Promise<{ topics: string[] }>;
  resetConnectorActiveTopics(name: string): Promise<void>;

  plugins(connectorsOnly: boolean): Promise<PluginInfo[]>;
  pluginConfig(pluginName: string): Promise<ConfigKeyInfo[]>;
  validateConnectorConfig(pluginName: string, config: Record<string, string>): Promise<ConfigInfos>;

  loggers(): Promise<Record<string, LoggerLevel>>;
  logger(name: string): Promise<LoggerLevel>;
  /** Returns the names of the loggers whose level changed. */
  setLoggerLevel(name: string, level: LogLevel): Promise<string[]>;

  /** Prometheus text exposition of worker, connector and task metrics. */
  metrics(): Promise<string>;
}

/** Turns a ConfigSpec key into the REST `definition` block. */
export function configKeyInfo(def: ConfigKeyDef, order: number): ConfigKeyInfo {
  const d = def.default;
  return {
    name: def.name,
    type: def.type.toUpperCase(),
    required: d === undefined,
    default_value: d === undefined || d === null ? null : Array.isArray(d) ? d.join(',') : String(d),
    importance: def.importance.toUpperCase(),
    documentation: def.doc,
    group: def.group ?? null,
    width: (def.width ?? 'none').toUpperCase(),
    display_name: def.displayName ?? def.name,
    dependents: def.dependents ?? [],
    order: def.orderInGroup ?? order,
  };
}
