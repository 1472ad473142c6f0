/** Injection token of the running `Cluster`, or null when `forRoot({ cluster })` is not set. */
export const CLUSTER = Symbol('nestjs-plugins:Cluster');

/** Injection token of the `ClusterMember` the reconciler drives (the plugin manager). */
export const CLUSTER_MEMBER = Symbol('nestjs-plugins:ClusterMember');
