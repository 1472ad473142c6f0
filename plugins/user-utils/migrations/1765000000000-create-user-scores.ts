import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Creates `user-utils_user_scores` (migrations write real table names). If it exists (made by
 * `synchronize` before the sample had migrations), it is adopted as it is.
 */
export class CreateUserScores1765000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'user-utils_user_scores',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'userId', type: 'varchar', isUnique: true },
          { name: 'score', type: 'integer', default: 0 },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('user-utils_user_scores');
  }
}
