import type { DataSource } from 'typeorm';
import { InvalidPluginMetadataError, PluginSchemaMissingError } from '../../../lib/errors/index.js';
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
    expect(() => assertPluginSchemaSource(withEntities, dataSource(false), false)).toThrow(PluginSchemaMissingError);
    expect(() => assertPluginSchemaSource(withEntities, dataSource(false), false)).toThrow(
      'Plugin "notes" has entities but no migrations, and the DataSource does not synchronize',
    );
  });

  it('accepts them with migrations, with synchronize, or without a DataSource (which fails elsewhere)', () => {
    expect(() => assertPluginSchemaSource({ ...withEntities, migrations: [CreateNotes1] }, dataSource(false), false)).not.toThrow();
    expect(() => assertPluginSchemaSource(withEntities, dataSource(true), false)).not.toThrow();
    expect(() => assertPluginSchemaSource(withEntities, undefined, false)).not.toThrow();
    expect(() => assertPluginSchemaSource({ name: 'plain', version: '1.0.0' }, dataSource(false), false)).not.toThrow();
  });

  it('refuses migrations on an isolated plugin: they would run its code in the host', () => {
    expect(() => assertPluginSchemaSource({ ...withEntities, migrations: [CreateNotes1] }, dataSource(false), true)).toThrow(
      new InvalidPluginMetadataError('plugin "notes"', ['migrations run in the host process and are not available to a plugin isolated in a thread or process']),
    );
  });
});
