import type { DataSource } from 'typeorm';
import type { DependencyRegistration } from '../services/dependencies/service-dependency.types.js';
import type { StoredDependency } from '../services/dependencies/dependency-publisher.js';
import type { StoredService } from '../services/registry/service-publisher.js';
import type { RemoteServiceRegistration } from '../services/registry/service.types.js';
import { clusterStatements, type ClusterStatements } from './cluster.statements.js';
import type { DesiredPlugin, DesiredState } from './desired-state.js';
import type { ClusterNodePlugin } from './node-state.js';
import type { PluginWindowTotals } from '../observability/metrics/rate-window.js';
import { withSchemaLock } from '../resources/tables/schema-lock.js';

/** One change to the desired state: a plugin to run from `source`, or to stop. */
export interface DesiredChange {
  name: string;
  loaded: boolean;
  /** a package name or file path to load it from elsewhere; null when it can only come from boot */
  source: string | null;
  /** the version loaded (an upgrade moves it); absent for an unload */
  version?: string;
}

export interface StoredNode {
  nodeId: string;
  heartbeatAtMs: number;
  revision: number;
  plugins: ClusterNodePlugin[];
  /** its plugins' recent calls (the console's rates), busy plugins only; empty when its console is off */
  rates: PluginWindowTotals[];
}

/** The empty string stands for "no tenant": a primary key column cannot hold NULL. */
const NO_TENANT = '';

/**
 * Cluster state in the application's DataSource (PostgreSQL in production, SQLite for one
 * instance): desired state with its revision, node heartbeats, remote services and declared
 * dependencies. Each method is one statement or one short transaction; the tables are the truth.
 */
export class ClusterStore {
  private readonly sql: ClusterStatements;

  constructor(readonly dataSource: DataSource) {
    this.sql = clusterStatements((index) => dataSource.driver.createParameter(`p${index}`, index));
  }

  /** Creates the tables once, whichever instances boot together, and adds the columns an older version's tables lack. */
  ensureSchema(): Promise<void> {
    return withSchemaLock(this.dataSource, async () => {
      for (const statement of this.sql.schema) await this.run(statement, []);
      for (const { probe, add } of this.sql.addedColumns) {
        const present = await this.run(probe, []).then(
          () => true,
          () => false,
        );
        if (!present) await this.run(add, []);
      }
    });
  }

  async revision(): Promise<number> {
    const [row] = await this.run(this.sql.revision, []);
    return Number(row.revision);
  }

  async desiredState(): Promise<DesiredState> {
    const revision = await this.revision();
    const rows = await this.run(this.sql.desired, []);
    const plugins = rows.map(
      (row): DesiredPlugin => ({
        name: row.name,
        source: row.source ?? null,
        loaded: Number(row.loaded) === 1,
        revision: Number(row.revision),
        ...(row.version == null ? {} : { version: row.version }),
      }),
    );
    return { revision, plugins };
  }

  /** Writes the changes under one new revision, which it returns; concurrent writers get distinct revisions. */
  async writeDesired(changes: readonly DesiredChange[]): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      try {
        const [row] = await runner.query(this.sql.nextRevision, [], true).then((result) => result.records);
        const revision = Number(row.revision);
        for (const change of changes) {
          await runner.query(this.sql.writeDesired, [change.name, change.source, change.loaded ? 1 : 0, revision, change.version ?? null]);
        }
        await runner.commitTransaction();
        return revision;
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  async beat(node: StoredNode): Promise<void> {
    await this.run(this.sql.beat, [node.nodeId, node.heartbeatAtMs, node.revision, JSON.stringify(node.plugins), JSON.stringify(node.rates)]);
  }

  async nodes(): Promise<StoredNode[]> {
    const rows = await this.run(this.sql.nodes, []);
    return rows.map((row) => ({
      nodeId: row.node_id,
      heartbeatAtMs: Number(row.heartbeat_at),
      revision: Number(row.revision),
      plugins: JSON.parse(row.plugins),
      rates: row.rates == null ? [] : JSON.parse(row.rates),
    }));
  }

  /** Stores the registration; returns the id of the stored one (an earlier registration of the same service keeps its id). */
  async registerService(id: string, tenantId: string | undefined, registration: RemoteServiceRegistration, registeredAtMs: number): Promise<string> {
    const [row] = await this.run(this.sql.registerService, [
      id,
      tenantId ?? NO_TENANT,
      registration.pluginId,
      registration.serviceName,
      JSON.stringify(registration),
      registeredAtMs,
    ]);
    return row.id;
  }

  async deregisterService(tenantId: string | undefined, pluginId: string, serviceName: string): Promise<void> {
    await this.run(this.sql.deregisterService, [tenantId ?? NO_TENANT, pluginId, serviceName]);
  }

  async heartbeat(id: string, heartbeatAtMs: number): Promise<void> {
    await this.run(this.sql.heartbeat, [heartbeatAtMs, id, heartbeatAtMs]);
  }

  async services(): Promise<StoredService[]> {
    const rows = await this.run(this.sql.services, []);
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id === NO_TENANT ? undefined : row.tenant_id,
      registration: JSON.parse(row.registration),
      registeredAtMs: Number(row.registered_at),
      heartbeatAtMs: row.heartbeat_at === null ? undefined : Number(row.heartbeat_at),
    }));
  }

  async registerDependencies(tenantId: string | undefined, registrations: readonly DependencyRegistration[]): Promise<void> {
    for (const registration of registrations) {
      await this.run(this.sql.registerDependency, [tenantId ?? NO_TENANT, registration.pluginId, registration.dependsOnPluginId, JSON.stringify(registration)]);
    }
  }

  async dependencies(): Promise<StoredDependency[]> {
    const rows = await this.run(this.sql.dependencies, []);
    return rows.map((row) => ({ tenantId: row.tenant_id === NO_TENANT ? undefined : row.tenant_id, registration: JSON.parse(row.registration) }));
  }

  private async run(sql: string, parameters: unknown[]): Promise<any[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return (await runner.query(sql, parameters, true)).records;
    } finally {
      await runner.release();
    }
  }
}
