import type { PluginState } from '../interfaces/plugin-state.interface.js';

/** `alive` while the instance heart-beats; `unreachable` once it missed several beats. */
export type ClusterNodeStatus = 'alive' | 'unreachable';

/** A plugin on one instance, as that instance last reported it. */
export interface ClusterNodePlugin {
  name: string;
  version: string;
  state: PluginState;
  /** why the last change to this plugin failed on this instance */
  error?: string;
  /** installed from a registry: the integrity of the tarball this instance runs */
  integrity?: string;
}

/** One instance in `PluginManager.nodes()`. */
export interface ClusterNodeInfo {
  nodeId: string;
  /** ISO time of its last heartbeat */
  lastHeartbeatAt: string;
  status: ClusterNodeStatus;
  /** the instance answering the call */
  self: boolean;
  /** the desired-state revision it last reconciled to */
  revision: number;
  plugins: ClusterNodePlugin[];
}

/** Missed beats after which an instance counts as gone: one late beat (a GC pause, a stall) is not death. */
export const MISSED_BEATS_UNTIL_UNREACHABLE = 3;

export function nodeStatusAt(lastHeartbeatMs: number, nowMs: number, heartbeatIntervalMs: number): ClusterNodeStatus {
  return nowMs - lastHeartbeatMs > MISSED_BEATS_UNTIL_UNREACHABLE * heartbeatIntervalMs ? 'unreachable' : 'alive';
}
