/**
 * The part of a NATS connection cluster mode uses for wake-ups. Structural, so the package's
 * types compile for apps that do not install `nats`; pass the `NatsConnection` from `connect()`.
 */
export interface ClusterNatsConnection {
  publish(subject: string, payload?: Uint8Array): void;
  subscribe(subject: string, options?: { callback?: (error: Error | null, message: unknown) => void }): { unsubscribe(): void };
}

/** `PluginModule.forRoot({ cluster })`: several instances of one application share plugin state. */
export interface ClusterOptions {
  /** This instance's id in `PluginManager.nodes()` (default: a random id per process). */
  nodeId?: string;
  /** Where desired state, registries and leases live: the application's TypeORM DataSource. */
  store?: 'typeorm';
  /** Wake-ups after a change: a NATS connection, or PostgreSQL `LISTEN/NOTIFY` (default `'postgres'`). */
  notify?: ClusterNatsConnection | 'postgres';
  /** Reconcile this often even when a wake-up is lost (default 30 000 ms). */
  pollIntervalMs?: number;
  /** Each instance writes its heartbeat and plugin states this often; 3 missed beats show it `unreachable` (default 5 000 ms). */
  heartbeatIntervalMs?: number;
}
