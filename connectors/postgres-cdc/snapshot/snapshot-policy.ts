/**
 * What snapshot.mode means for a start, as Debezium's snapshotters decide it: whether data is
 * snapshotted (every start, only without a completed snapshot, never), whether streaming follows,
 * whether a stored offset the slot cannot serve takes a new snapshot instead of failing the task,
 * and whether an interrupted snapshot may resume. `configuration_based` takes each answer from its
 * snapshot.mode.configuration.based.* keys, as Debezium's ConfigurationBasedSnapshotter does.
 */
import type { ParsedConfig } from '../../../runtime/api/index.js';

export interface SnapshotPolicy {
  /** snapshot.mode as set, for messages. */
  mode: string;
  data: 'always' | 'initial' | 'never';
  stream: boolean;
  /** A stored offset the slot cannot serve (slot gone or lost) snapshots anew instead of failing. */
  onDataError: boolean;
  /** An interrupted snapshot resumes where it stopped (a mode that snapshots at every start starts over). */
  resumes: boolean;
}

const MODES: Record<string, Omit<SnapshotPolicy, 'mode'>> = {
  initial: { data: 'initial', stream: true, onDataError: false, resumes: true },
  initial_only: { data: 'initial', stream: false, onDataError: false, resumes: true },
  when_needed: { data: 'initial', stream: true, onDataError: true, resumes: true },
  always: { data: 'always', stream: true, onDataError: true, resumes: false },
  no_data: { data: 'never', stream: true, onDataError: false, resumes: false },
  never: { data: 'never', stream: true, onDataError: false, resumes: false },
};

export const CONFIGURATION_BASED = 'configuration_based';
export const SNAPSHOT_MODES = [...Object.keys(MODES), CONFIGURATION_BASED];

/** A mode's policy; `configuration_based` needs its three keys' values. */
export function snapshotPolicy(mode: string, configured?: { data: boolean; stream: boolean; onDataError: boolean }): SnapshotPolicy {
  if (mode === CONFIGURATION_BASED) {
    if (!configured) throw new Error('snapshot.mode=configuration_based needs its snapshot.mode.configuration.based.* values');
    return { mode, data: configured.data ? 'always' : 'never', stream: configured.stream, onDataError: configured.onDataError, resumes: false };
  }
  const known = MODES[mode];
  if (!known) throw new Error(`snapshot.mode=${mode} is not one of ${SNAPSHOT_MODES.join(', ')}`);
  return { mode, ...known };
}

export function snapshotPolicyOf(config: ParsedConfig): SnapshotPolicy {
  const prefix = 'snapshot.mode.configuration.based.';
  return snapshotPolicy(config.getString('snapshot.mode') ?? 'initial', {
    data: config.getBoolean(`${prefix}snapshot.data`),
    stream: config.getBoolean(`${prefix}start.stream`),
    onDataError: config.getBoolean(`${prefix}snapshot.on.data.error`),
  });
}
