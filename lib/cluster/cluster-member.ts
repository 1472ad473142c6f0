import type { ClusterNodePlugin } from './node-state.js';

/**
 * What the reconciler drives on this instance. The plugin runtime implements it (bound to
 * `CLUSTER_MEMBER`), so the cluster never imports the runtime that sits above it.
 */
export interface ClusterMember {
  /** Brings this instance to the stored desired state, in turn with the other plugin operations. */
  reconcile(): Promise<void>;
  /** This instance's plugins, as its heartbeat reports them. */
  localPlugins(): ClusterNodePlugin[];
}
