import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Creates `analytics_report_runs` (migrations write real table names). */
export class CreateReportRuns1765000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    // What @CreateDateColumn maps to on each database.
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.createTable(
      new Table({
        name: 'analytics_report_runs',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'createdAt', type: postgres ? 'timestamp' : 'datetime', default: postgres ? 'now()' : "(datetime('now'))" },
          { name: 'totalWon', type: 'integer' },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('analytics_report_runs');
  }
}
