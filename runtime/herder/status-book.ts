/**
 * Statuses as this worker sees them right now, written through to the status topic in order.
 * Reads come from memory so a GET right after a change shows it; the topic is for restarts and for
 * other workers. Implements the worker's listener interfaces so the Worker reports straight here.
 */
import { getLogger } from '../api/logger.js';
import type { StatusStore, Status } from '../stores/status-store.js';
import type { ConnectorStatusListener } from '../worker/worker.js';
import type { TaskStatusListener } from '../worker/worker-task.js';
import type { ConnectorTaskId, State } from './herder.js';

const log = getLogger('herder.status');

export class StatusBook implements TaskStatusListener, ConnectorStatusListener {
  private readonly connectors = new Map<string, Status>();
  private readonly tasks = new Map<string, Map<number, Status>>();
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: StatusStore,
    private readonly workerId: () => string,
    /** A running connector asked for new task configs. */
    readonly onReconfigurationRequest: (name: string) => void,
  ) {}

  connector(name: string): Status | null {
    return this.connectors.get(name) ?? this.store.connector(name);
  }

  task(name: string, id: number): Status | null {
    return this.tasks.get(name)?.get(id) ?? this.store.task(name, id);
  }

  setConnector(name: string, state: State, trace: string | null = null): void {
    const status: Status = { state, trace, worker_id: this.workerId(), generation: 0 };
    this.connectors.set(name, status);
    this.persist(() => this.store.putConnector(name, status));
  }

  setTask(id: ConnectorTaskId, state: State, trace: string | null = null): void {
    const status: Status = { state, trace, worker_id: this.workerId(), generation: 0 };
    const byId = this.tasks.get(id.connector) ?? new Map<number, Status>();
    byId.set(id.task, status);
    this.tasks.set(id.connector, byId);
    this.persist(() => this.store.putTask(id.connector, id.task, status));
  }

  removeTask(id: ConnectorTaskId): void {
    this.tasks.get(id.connector)?.delete(id.task);
    this.persist(() => this.store.deleteTask(id.connector, id.task));
  }

  removeConnector(name: string): void {
    this.connectors.delete(name);
    this.tasks.delete(name);
    this.persist(() => this.store.deleteConnector(name));
  }

  /** Resolves once every status written so far is in the topic. */
  flush(): Promise<void> {
    return this.writes;
  }

  // Connector listener
  onStartup(name: string): void;
  onStartup(id: ConnectorTaskId): void;
  onStartup(who: string | ConnectorTaskId): void {
    if (typeof who === 'string') this.setConnector(who, 'RUNNING');
    else this.setTask(who, 'RUNNING');
  }

  onPause(name: string): void;
  onPause(id: ConnectorTaskId): void;
  onPause(who: string | ConnectorTaskId): void {
    if (typeof who === 'string') this.setConnector(who, 'PAUSED');
    else this.setTask(who, 'PAUSED');
  }

  onResume(id: ConnectorTaskId): void {
    this.setTask(id, 'RUNNING');
  }

  onStop(name: string): void {
    this.setConnector(name, 'STOPPED');
  }

  onFailure(name: string, trace: string): void;
  onFailure(id: ConnectorTaskId, trace: string): void;
  onFailure(who: string | ConnectorTaskId, trace: string): void {
    if (typeof who === 'string') this.setConnector(who, 'FAILED', trace);
    else this.setTask(who, 'FAILED', trace);
  }

  onShutdown(name: string): void;
  onShutdown(id: ConnectorTaskId): void;
  onShutdown(who: string | ConnectorTaskId): void {
    if (typeof who === 'string') {
      if (this.connector(who)?.state !== 'STOPPED') this.setConnector(who, 'UNASSIGNED');
    } else if (this.task(who.connector, who.task)?.state !== 'FAILED') {
      this.setTask(who, 'UNASSIGNED');
    }
  }

  onTopic(id: ConnectorTaskId, topic: string): void {
    this.persist(() => this.store.putTopic(id.connector, topic, id.task));
  }

  private persist(write: () => Promise<void>): void {
    this.writes = this.writes.then(write).catch((e: unknown) => log.error('failed to write a status to the status topic', e));
  }
}
