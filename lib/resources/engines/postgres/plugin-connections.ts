import type { DataSource } from 'typeorm';
import type { PgClient } from './pooled-transaction.js';
import { forgetPrepared } from './role-pipeline.js';

/** What a plugin's connection was set to, at session level: the frame's check verifies both after every statement. */
export interface PluginSession {
  readonly role: string;
  readonly timeoutMs: number;
  /** `statement_timeout` as PostgreSQL shows it (`5s` for 5000) */
  readonly shownTimeout: string;
}

/** A connection of a plugin's pool and how to give it back (`error`: discard it instead). */
export interface PluginClient {
  readonly client: PgClient;
  readonly session: PluginSession;
  release(error?: Error): void;
}

/** node-postgres' pool, as TypeORM's PostgreSQL driver holds it (`driver.master`). */
interface PgPool {
  readonly options: Record<string, unknown> & { max?: number; password?: unknown };
  readonly constructor: new (options: Record<string, unknown>) => PgPool;
  connect(): Promise<PgClient & { release(error?: Error | boolean): void }>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  end(): Promise<void>;
}

/**
 * A plugin's pool opens at most this many connections (fewer when the application's own pool is
 * smaller): every plugin has its own pool, and twenty plugins at the application's size (10 by
 * default) would pass PostgreSQL's default `max_connections` (100) before the application's own.
 */
const PLUGIN_POOL_MAX = 4;

/** `set_config` answers with the setting as `current_setting` shows it, which the check then compares. */
const SESSION_SETUP = "SELECT set_config('role', $1, false) AS role, set_config('statement_timeout', $2, false) AS timeout";

/**
 * Each plugin's own connections, apart from the application's pool: a pool per plugin, built
 * from the DataSource's connection options (at most PLUGIN_POOL_MAX connections, closed after
 * 10 s idle), whose sessions hold the plugin's role and `statement_timeout`, set once per connection
 * (again when the timeout changed). No statement of the application ever runs on them, and no
 * statement of the plugin on the application's: whatever session state a plugin statement
 * leaves (a `search_path`, say) stays on its own connections. The role and the timeout are
 * verified after every statement, in the same transaction (see PostgresSqlEngine.frameFor): a
 * statement that changed either is rolled back, and with it the change.
 */
export class PluginConnections {
  private readonly pools = new Map<string, PgPool>();
  private readonly sessions = new WeakMap<PgClient, PluginSession>();

  constructor(private readonly dataSource: DataSource) {}

  /** A connection of the plugin's pool under `role` and `timeoutMs`; `setupFailed` words a session setup that PostgreSQL refused. */
  async acquire(pluginName: string, role: string, timeoutMs: number, setupFailed: (error: unknown) => unknown): Promise<PluginClient> {
    const client = await this.poolOf(pluginName).connect();
    const known = this.sessions.get(client);
    if (known?.role !== role || known.timeoutMs !== timeoutMs) {
      try {
        await this.renew(client, role, timeoutMs, setupFailed);
      } catch (error) {
        client.release(error as Error);
        throw error;
      }
    }
    return { client, session: this.sessions.get(client)!, release: (error) => client.release(error) };
  }

  /** Sets the session of `client` (a connection of this class's pools) up again: its role may have been dropped, or dropped and created again. */
  async renew(client: PgClient, role: string, timeoutMs: number, setupFailed: (error: unknown) => unknown): Promise<void> {
    this.sessions.delete(client);
    const { rows } = await client.query<{ timeout: string }>({ text: SESSION_SETUP, values: [role, String(timeoutMs)] }).catch((error: unknown) => {
      throw setupFailed(error);
    });
    this.sessions.set(client, { role, timeoutMs, shownTimeout: rows[0]!.timeout });
    // The check prepared for the former session compares the former values.
    forgetPrepared(client);
  }

  /** What the session of one of these connections holds; undefined for any other connection. */
  sessionOf(client: PgClient): PluginSession | undefined {
    return this.sessions.get(client);
  }

  /** Closes the plugin's connections (its role was dropped). */
  forget(pluginName: string): Promise<void> {
    const pool = this.pools.get(pluginName);
    this.pools.delete(pluginName);
    return pool?.end().catch(() => undefined) ?? Promise.resolve();
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.keys()].map((pluginName) => this.forget(pluginName)));
  }

  private poolOf(pluginName: string): PgPool {
    let pool = this.pools.get(pluginName);
    if (pool === undefined) {
      const master = (this.dataSource.driver as unknown as { master?: PgPool }).master;
      if (master === undefined) throw new Error('the PostgreSQL DataSource is not connected');
      // The password is not enumerable in node-postgres' copy of the options.
      const max = Math.min(master.options.max ?? PLUGIN_POOL_MAX, PLUGIN_POOL_MAX);
      pool = new master.constructor({ ...master.options, password: master.options.password, max, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
      // An idle connection that broke is dropped by the pool; the next statement opens another.
      pool.on('error', () => undefined);
      this.pools.set(pluginName, pool);
    }
    return pool;
  }
}
