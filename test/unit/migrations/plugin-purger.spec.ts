import { PluginPurgeError } from '../../../lib/errors/index.js';
import { PluginPurger } from '../../../lib/migrations/plugin-purger.js';
import type { StorageDriver } from '../../../lib/resources/buckets/storage-driver.interface.js';
import { PluginResources } from '../../../lib/resources/plugin-resources.js';
import { InMemoryStorageDriver } from '../../../lib/testing/in-memory.storage-driver.js';

const metadata = { name: 'notes', version: '1.0.0', allowedBuckets: ['files'] };

describe('PluginPurger', () => {
  it("empties the plugin's buckets and leaves others'", async () => {
    const storage = new InMemoryStorageDriver();
    await storage.put('notes_files', 'a/b.txt', Buffer.from('x'), 'text/plain');
    await storage.put('other_files', 'c.txt', Buffer.from('y'), 'text/plain');
    const purger = new PluginPurger(new PluginResources({ storageDriver: storage }, null));
    const report = await purger.purge(purger.planFor(metadata));
    expect(report.bucketObjects).toBe(1);
    expect(await storage.list('notes_files', '')).toEqual([]);
    expect(await storage.list('other_files', '')).toEqual(['c.txt']);
  });

  it('reports a storage failure by its code, never the host path in its message, and keeps the purge pending until it succeeds', async () => {
    let failing = true;
    const storage: StorageDriver = {
      put: async () => undefined,
      get: async () => undefined,
      delete: async () => undefined,
      list: async () => {
        if (failing) throw Object.assign(new Error("EACCES: permission denied, scandir '/srv/app/data/buckets/notes_files'"), { code: 'EACCES' });
        return [];
      },
    };
    const purger = new PluginPurger(new PluginResources({ storageDriver: storage }, null));
    const error = await purger.purge(purger.planFor(metadata)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PluginPurgeError);
    expect((error as Error).message).toBe(
      'Plugin "notes" was unloaded, but its data could not be purged (bucket "notes_files": the storage driver failed (EACCES)); call uninstall("notes", { purge: true }) again to finish',
    );
    expect(purger.pendingFor('notes')).toBeDefined();
    failing = false;
    await purger.purge(purger.pendingFor('notes')!);
    expect(purger.pendingFor('notes')).toBeUndefined();
  });
});
