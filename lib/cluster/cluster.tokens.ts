/** Injection token of the running `Cluster`, or null when `forRoot({ cluster })` is not set. */
export const CLUSTER = Symbol('nestjs-plugins:Cluster');
