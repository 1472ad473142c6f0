import type { DataSource, EntityMetadata } from 'typeorm';
import type { LeaseClaim, LeaseStore } from './lease-store.interface.js';
import { taskLeaseStatements, type TaskLeaseColumns, type TaskLeaseDialect, type TaskLeaseStatements } from './task-lease.statements.js';

/** Leases in the application's database (`plugin_task_leases`), one statement per step. */
export class SqlLeaseStore implements LeaseStore {
  private readonly statements: TaskLeaseStatements;

  constructor(
    private readonly dataSource: DataSource,
    metadata: EntityMetadata,
    dialect: TaskLeaseDialect,
  ) {
    const column = (property: keyof TaskLeaseColumns) => `"${metadata.findColumnWithPropertyName(property)!.databaseName}"`;
    const columns: TaskLeaseColumns = { taskKey: column('taskKey'), holder: column('holder'), expiresAt: column('expiresAt'), nextRunAt: column('nextRunAt') };
    const table = metadata.tablePath
      .split('.')
      .map((part) => `"${part}"`)
      .join('.');
    this.statements = taskLeaseStatements(table, columns, dialect, (index) => dataSource.driver.createParameter(`p${index}`, index));
  }

  async claim(key: string, holder: string, leaseMs: number): Promise<LeaseClaim> {
    const [claimed] = await this.records(this.statements.claim, [key, holder, leaseMs]);
    if (claimed !== undefined) return { held: true, dueInMs: Number(claimed.dueInMs) };
    const [current] = await this.records(this.statements.remaining, [key]);
    // Released between the two statements: ask again at once.
    return { held: false, retryInMs: current === undefined ? 0 : Number(current.retryInMs) };
  }

  async beginRun(key: string, holder: string, leaseMs: number, everyMs: number): Promise<boolean> {
    return (await this.records(this.statements.beginRun, [leaseMs, everyMs, key, holder])).length > 0;
  }

  async renew(key: string, holder: string, leaseMs: number): Promise<boolean> {
    return (await this.records(this.statements.renew, [leaseMs, key, holder])).length > 0;
  }

  async release(key: string, holder: string): Promise<void> {
    await this.records(this.statements.release, [key, holder]);
  }

  private async records(sql: string, parameters: unknown[]): Promise<any[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return (await runner.query(sql, parameters, true)).records ?? [];
    } finally {
      await runner.release();
    }
  }
}
