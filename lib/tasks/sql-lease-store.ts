import type { HostTableSql } from '../resources/tables/host-table.js';
import type { LeaseClaim, LeaseStore } from './lease-store.interface.js';
import { taskLeaseStatements, type TaskLeaseColumns, type TaskLeaseStatements } from './task-lease.statements.js';

/** Leases in the application's database (`plugin_task_leases`), one statement per step. */
export class SqlLeaseStore implements LeaseStore {
  private readonly statements: TaskLeaseStatements;

  constructor(private readonly sql: HostTableSql) {
    const columns = sql.columns<keyof TaskLeaseColumns>(['taskKey', 'holder', 'expiresAt', 'nextRunAt']);
    this.statements = taskLeaseStatements(sql.table, columns, sql.dialect, sql.param);
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
    return (await this.sql.run(sql, parameters)).records ?? [];
  }
}
