import type { DataSource } from 'typeorm';

/** The part of node-postgres' client the engine uses. */
export interface PgClient {
  query<R = Record<string, unknown>>(
    query: string | { text: string; values?: unknown[]; queryMode?: 'extended' },
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null; command: string }>;
}

/** TypeORM's PostgreSQL query runner, whose release may discard a broken connection instead of pooling it. */
interface PostgresQueryRunnerLike {
  connect(): Promise<unknown>;
  releasePostgresConnection(error?: Error): Promise<void>;
}

/** How a transaction opens and what must hold for it to commit. */
export interface TransactionFrame {
  /** statements sent with `BEGIN`, in the same round trip */
  readonly opening: string;
  /** what a failing `opening` rejects with */
  readonly openingFailed?: (error: unknown) => unknown;
  /** a statement sent with `COMMIT`, in the same round trip, that fails (and so stops the commit) when the work must not stand */
  readonly commitCondition?: string;
  /** what a failing `commitCondition` rejects with (`COMMIT` itself failing rejects with its own error) */
  readonly conditionFailed?: (error: unknown) => unknown;
}

/** Runs `work` on one pooled connection of the DataSource and gives the connection back, or discards it when `work` called `discard`. */
export async function onPooledClient<T>(dataSource: DataSource, work: (client: PgClient, discard: (error: Error) => void) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner('master') as unknown as PostgresQueryRunnerLike;
  let broken: Error | undefined;
  try {
    const client = (await runner.connect()) as PgClient;
    return await work(client, (error) => (broken = error));
  } finally {
    await runner.releasePostgresConnection(broken);
  }
}

/**
 * Runs `work` in one transaction on one pooled connection: `BEGIN` with the frame's opening,
 * `work`, then the commit condition with `COMMIT`; `ROLLBACK` on any error. SET LOCAL settings
 * end with the transaction, so the connection returns to the pool as it came; one that cannot
 * even roll back is discarded.
 */
export function inPooledTransaction<T>(dataSource: DataSource, frame: TransactionFrame, work: (client: PgClient) => Promise<T>): Promise<T> {
  return onPooledClient(dataSource, (client, discard) => inTransaction(client, frame, work, discard));
}

/** `inPooledTransaction` on a connection the caller holds. */
export async function inTransaction<T>(client: PgClient, frame: TransactionFrame, work: (client: PgClient) => Promise<T>, discard: (error: Error) => void): Promise<T> {
  try {
    await client.query(`BEGIN; ${frame.opening}`).catch((error: unknown) => {
      throw frame.openingFailed?.(error) ?? error;
    });
    const result = await work(client);
    if (frame.commitCondition === undefined) {
      await client.query('COMMIT');
    } else {
      await client.query(`${frame.commitCondition}; COMMIT`).catch((error: unknown) => {
        throw frame.conditionFailed?.(error) ?? error;
      });
    }
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(discard);
    throw error;
  }
}
