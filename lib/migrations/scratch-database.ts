import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** The engines a migration is generated for and round-tripped on. */
export type MigrationDriver = 'sqlite' | 'postgres';

/** An empty database of its own, for trying migrations out; `dispose` removes it. */
export interface ScratchDatabase {
  readonly dataSource: DataSource;
  /** PostgreSQL: the scratch schema's name, which TypeORM writes into some statements (`DROP INDEX "<schema>"."IDX_…"`) */
  readonly schema?: string;
  dispose(): Promise<void>;
}

/**
 * SQLite in memory, or a fresh schema on the PostgreSQL server at `url`, first on the search
 * path of every connection (so unqualified names, as migrations write them, land there) and
 * dropped with everything in it by `dispose`. Nothing else on that server is touched.
 */
export async function openScratchDatabase(driver: MigrationDriver, url?: string): Promise<ScratchDatabase> {
  const { DataSource } = await import('typeorm');
  if (driver === 'sqlite') {
    const dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    return { dataSource, dispose: () => dataSource.destroy() };
  }
  if (url === undefined) throw new Error('PostgreSQL needs a connection URL');
  const schema = `np_scratch_${randomBytes(6).toString('hex')}`;
  const admin = await new DataSource({ type: 'postgres', url }).initialize();
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
    const dataSource = await new DataSource({ type: 'postgres', url, extra: { options: `-c search_path=${schema}` } }).initialize();
    return {
      dataSource,
      schema,
      dispose: async () => {
        await dataSource.destroy();
        await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
        await admin.destroy();
      },
    };
  } catch (error) {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await admin.destroy();
    throw error;
  }
}
