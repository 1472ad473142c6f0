import { randomUUID } from 'node:crypto';
import type { ClusterOptions } from '../interfaces/cluster-options.interface.js';

// One id per process when the host names none: a restarted instance is a new node.
const processNodeId = `node-${randomUUID().slice(0, 8)}`;

/** This instance's id in the cluster: `cluster.nodeId`, else a random id fixed for the life of the process. */
export function resolveNodeId(cluster: ClusterOptions | undefined): string {
  return cluster?.nodeId ?? processNodeId;
}
