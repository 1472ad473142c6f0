import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  ContextInvalidatedError,
  InjectPluginContext,
  Plugin,
  PluginCallContext,
  PluginManager,
  PluginModule,
  SharedDataOwnershipError,
  SharedDataService,
  type PluginContext,
} from 'nestjs-plugins';
import { bootApp } from '../support/boot-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';

@Plugin({ name: 'sync-writer', version: '1.0.0' })
class SyncWriterPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

@Plugin({ name: 'sync-reader', version: '1.0.0' })
class SyncReaderPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

describe('ctx.sharedData in an application', () => {
  let database: TestDatabase;
  let app: INestApplication;

  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
    app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection, synchronize: true }),
      PluginModule.forRoot({ plugins: [SyncWriterPlugin, SyncReaderPlugin] }),
    ]);
  });
  afterEach(async () => {
    await app.close();
    await database.drop();
  });

  it('owns what a plugin creates: others read it but may not overwrite or delete it', async () => {
    const writer = app.get(SyncWriterPlugin).ctx.sharedData;
    const reader = app.get(SyncReaderPlugin).ctx.sharedData;
    await PluginCallContext.run({ tenantId: 'acme' }, async () => {
      await writer.set('sync', 'last', { at: '2026-11-23T10:00:00Z' });
      expect(await reader.get('sync', 'last')).toEqual({ at: '2026-11-23T10:00:00Z' });
      await expect(reader.set('sync', 'last', 'mine now')).rejects.toThrow(SharedDataOwnershipError);
      await expect(reader.delete('sync', 'last')).rejects.toThrow('Plugin "sync-reader" may not delete "sync/last" owned by "sync-writer"');
      expect(await reader.list('sync', { ownerId: 'sync-writer' })).toEqual(['last']);
    });
    // The host's service sees the same entry, in the same tenant only.
    const service = app.get(SharedDataService);
    expect(await PluginCallContext.run({ tenantId: 'acme' }, () => service.getEntry('sync', 'last'))).toMatchObject({ ownerId: 'sync-writer' });
    expect(await PluginCallContext.run({ tenantId: 'globex' }, () => service.get('sync', 'last'))).toBeUndefined();
  });

  it('stops working for a plugin that was unloaded', async () => {
    const reader = app.get(SyncReaderPlugin).ctx.sharedData;
    await app.get(PluginManager).unload('sync-reader');
    await expect(reader.get('sync', 'last')).rejects.toThrow(ContextInvalidatedError);
  });
});
