import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Creates `crm_contacts` and `crm_deals` (migrations write real table names). */
export class CreateContactsAndDeals1765000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'crm_contacts',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'name', type: 'varchar' },
          { name: 'email', type: 'varchar' },
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'crm_deals',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'contactId', type: 'integer' },
          { name: 'title', type: 'varchar' },
          { name: 'amount', type: 'integer' },
          { name: 'stage', type: 'varchar', default: "'open'" },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('crm_deals');
    await queryRunner.dropTable('crm_contacts');
  }
}
