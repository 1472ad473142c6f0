import type { DataSource } from 'typeorm';
import { PluginSchemaMissingError } from '../../../lib/errors/index.js';
import { assertPluginSchemaSource } from '../../../lib/migrations/plugin-migrations.js';

class Note {}
class CreateNotes1 {
  async up(): Promise<void> {}
  async down(): Promise<void> {}
}

const dataSource = (synchronize: boolean) => ({ options: { type: 'better-sqlite3', synchronize } }) as unknown as DataSource;
const withEntities = { name: 'notes', version: '1.0.0', entities: [Note] };

describe('assertPluginSchemaSource', () => {
  it('refuses entities without migrations on a DataSource that does not synchronize', () => {
    expect(() => assertPluginSchemaSource(withEntities, dataSource(false))).toThrow(PluginSchemaMissingError);
    expect(() => assertPluginSchemaSource(withEntities, dataSource(false))).toThrow(
      'Plugin "notes" has entities but no migrations, and the DataSource does not synchronize',
    );
  });

  it('accepts them with migrations, with synchronize, or without a DataSource (which fails elsewhere)', () => {
    expect(() => assertPluginSchemaSource({ ...withEntities, migrations: [CreateNotes1] }, dataSource(false))).not.toThrow();
    expect(() => assertPluginSchemaSource(withEntities, dataSource(true))).not.toThrow();
    expect(() => assertPluginSchemaSource(withEntities, undefined)).not.toThrow();
    expect(() => assertPluginSchemaSource({ name: 'plain', version: '1.0.0' }, dataSource(false))).not.toThrow();
  });
});
