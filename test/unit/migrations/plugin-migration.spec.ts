import { jest } from '@jest/globals';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { describedMigrationClass, migrationChecksum, pluginMigrations } from '../../../lib/migrations/plugin-migration.js';

class Second1700000002000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT 2');
  }
  async down(): Promise<void> {}
}

class First1700000001000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT 1');
  }
  async down(): Promise<void> {}
}

class Named implements MigrationInterface {
  name = 'Aaa1600000000000';
  async up(): Promise<void> {}
  async down(): Promise<void> {}
}

describe('pluginMigrations', () => {
  it('puts migrations in name order, whatever order they are listed in', () => {
    expect(pluginMigrations([Second1700000002000, First1700000001000]).map((migration) => migration.name)).toEqual([
      'First1700000001000',
      'Second1700000002000',
    ]);
  });

  it('orders by the timestamp ending the name, as TypeORM does, not by the words before it', () => {
    const Later = { AddTag1700000003000: class extends First1700000001000 {} }.AddTag1700000003000;
    const NoTimestamp = { Seed: class extends First1700000001000 {} }.Seed;
    expect(pluginMigrations([NoTimestamp, Later, Second1700000002000, First1700000001000]).map((migration) => migration.name)).toEqual([
      'First1700000001000',
      'Second1700000002000',
      'AddTag1700000003000',
      'Seed',
    ]);
  });

  it('takes the name an instance sets over its class name, as TypeORM does', () => {
    expect(pluginMigrations([First1700000001000, Named]).map((migration) => migration.name)).toEqual(['Aaa1600000000000', 'First1700000001000']);
  });

  it('checksums the source of up and down: equal code, equal sum; other code, other sum', () => {
    const [first, second] = pluginMigrations([First1700000001000, Second1700000002000]);
    expect(first!.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(migrationChecksum(new First1700000001000())).toBe(first!.checksum);
    expect(second!.checksum).not.toBe(first!.checksum);
  });
});

describe('describedMigrationClass', () => {
  it("plans as the guest described the migration (its name and checksum), and never runs in the host", async () => {
    const checksum = migrationChecksum(new First1700000001000());
    const standIn = describedMigrationClass('First1700000001000', checksum);
    const [described] = pluginMigrations([standIn]);
    expect({ name: described.name, checksum: described.checksum }).toEqual({ name: 'First1700000001000', checksum });
    const queryRunner = { query: jest.fn() } as unknown as QueryRunner;
    await expect(described.instance.up(queryRunner)).rejects.toThrow(`Migration "First1700000001000" runs in its plugin's guest, not in the host`);
    expect(queryRunner.query).not.toHaveBeenCalled();
  });
});
