import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDirectoryStorageDriver } from '../../../../lib/resources/buckets/local-directory.storage-driver.js';

/** Every file under `directory`, as paths relative to it. */
async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(directory.length + 1))
    .sort();
}

describe('LocalDirectoryStorageDriver', () => {
  // The root lives inside a sandbox so that anything escaping the root is still caught and cleaned up.
  let sandbox: string;
  let root: string;
  let driver: LocalDirectoryStorageDriver;

  beforeEach(async () => {
    sandbox = await mkdtemp(join(tmpdir(), 'buckets-driver-'));
    root = join(sandbox, 'root');
    driver = new LocalDirectoryStorageDriver(root);
  });

  afterEach(async () => {
    await rm(sandbox, { recursive: true, force: true });
  });

  it('keeps object <key> of <bucket> in <root>/<bucket>/<key>, leaving no upload behind', async () => {
    await driver.put('my-plugin_files', 'reports/q1.csv', Buffer.from('a,b'), 'text/csv');

    expect(await readFile(join(root, 'my-plugin_files', 'reports', 'q1.csv'), 'utf8')).toBe('a,b');
    expect(await filesUnder(root)).toEqual([join('my-plugin_files', 'reports', 'q1.csv')]);
  });

  it('replaces an object whole, even under concurrent writes', async () => {
    const bodies = Array.from({ length: 20 }, (_, index) => Buffer.alloc(64 * 1024, index));
    await Promise.all(bodies.map((body) => driver.put('b', 'same', body, 'application/octet-stream')));

    const stored = await driver.get('b', 'same');
    expect(bodies.some((body) => body.equals(stored!))).toBe(true);
    expect(await filesUnder(root)).toEqual([join('b', 'same')]);
  });

  it('reports a missing object, bucket or folder as undefined and an empty listing', async () => {
    await driver.put('b', 'file', Buffer.from('x'), 'text/plain');
    await driver.put('b', 'folder/inner', Buffer.from('y'), 'text/plain');

    expect(await driver.get('b', 'missing')).toBeUndefined();
    expect(await driver.get('b', 'file/below-a-file')).toBeUndefined();
    expect(await driver.get('b', 'folder')).toBeUndefined();
    expect(await driver.get('no-such-bucket', 'file')).toBeUndefined();
    expect(await driver.list('no-such-bucket', '')).toEqual([]);
    expect(await driver.list('b', 'no-such-folder/')).toEqual([]);
    await expect(driver.delete('b', 'missing')).resolves.toBeUndefined();
    await expect(driver.delete('no-such-bucket', 'missing')).resolves.toBeUndefined();
  });

  it('lists keys by plain string prefix, as S3 does', async () => {
    for (const key of ['reports/q1.csv', 'reports/2024/q2.csv', 'rep.txt', 'other.txt']) {
      await driver.put('b', key, Buffer.from(key), 'text/plain');
    }

    expect((await driver.list('b', '')).sort()).toEqual(['other.txt', 'rep.txt', 'reports/2024/q2.csv', 'reports/q1.csv']);
    expect((await driver.list('b', 'rep')).sort()).toEqual(['rep.txt', 'reports/2024/q2.csv', 'reports/q1.csv']);
    expect((await driver.list('b', 'reports/')).sort()).toEqual(['reports/2024/q2.csv', 'reports/q1.csv']);
    expect(await driver.list('b', 'reports/20')).toEqual(['reports/2024/q2.csv']);
  });

  it('removes folders a delete leaves empty, so the name can become an object again', async () => {
    await driver.put('b', 'a/b/c', Buffer.from('deep'), 'text/plain');
    await driver.put('b', 'keep', Buffer.from('k'), 'text/plain');
    await driver.delete('b', 'a/b/c');

    expect(await readdir(join(root, 'b'))).toEqual(['keep']);
    await driver.put('b', 'a', Buffer.from('now a file'), 'text/plain');
    expect((await driver.get('b', 'a'))!.toString()).toBe('now a file');
  });

  it('cannot hold both "a" and "a/b" (a file is not a folder), and a failed upload leaves nothing behind', async () => {
    await driver.put('b', 'a', Buffer.from('file'), 'text/plain');

    await expect(driver.put('b', 'a/b', Buffer.from('x'), 'text/plain')).rejects.toMatchObject({ code: expect.stringMatching(/^(EEXIST|ENOTDIR)$/) });
    expect(await filesUnder(root)).toEqual([join('b', 'a')]);
  });

  describe('defends itself against names that should never reach it', () => {
    const hostileKeys = ['../escape', '../../escape', 'a/../../escape', '..', '.', '', 'a/..'];
    const hostileBuckets = ['..', '../escape', 'a/b', 'a/../b', '.', '', '.uploads', '.hidden', 'b/'];

    beforeEach(async () => {
      await mkdir(root, { recursive: true });
      await writeFile(join(sandbox, 'victim'), 'do not touch');
    });

    async function expectSandboxUntouched(): Promise<void> {
      expect(await filesUnder(sandbox)).toEqual(['victim']);
      expect(await readFile(join(sandbox, 'victim'), 'utf8')).toBe('do not touch');
    }

    it.each(hostileKeys)('refuses key %j in every operation', async (key) => {
      await expect(driver.put('b', key, Buffer.from('x'), 'text/plain')).rejects.toThrow('resolves outside its bucket');
      await expect(driver.get('b', key)).rejects.toThrow('resolves outside its bucket');
      await expect(driver.delete('b', key)).rejects.toThrow('resolves outside its bucket');
      await expectSandboxUntouched();
    });

    it('refuses an absolute key', async () => {
      const outside = join(sandbox, 'escape');

      await expect(driver.put('b', outside, Buffer.from('x'), 'text/plain')).rejects.toThrow('resolves outside its bucket');
      await expect(driver.delete('b', join(sandbox, 'victim'))).rejects.toThrow('resolves outside its bucket');
      expect(existsSync(outside)).toBe(false);
      await expectSandboxUntouched();
    });

    it('does not reach a sibling bucket through ".."', async () => {
      await driver.put('other', 'secret', Buffer.from('s'), 'text/plain');

      await expect(driver.get('b', '../other/secret')).rejects.toThrow('resolves outside its bucket');
      await expect(driver.list('b', '../other/')).rejects.toThrow('resolves outside its bucket');
    });

    it.each(hostileBuckets)('refuses bucket %j in every operation', async (bucket) => {
      const refused = 'it must be a plain directory name';
      await expect(driver.put(bucket, 'escape', Buffer.from('x'), 'text/plain')).rejects.toThrow(refused);
      await expect(driver.get(bucket, 'victim')).rejects.toThrow(refused);
      await expect(driver.delete(bucket, 'victim')).rejects.toThrow(refused);
      await expect(driver.list(bucket, '')).rejects.toThrow(refused);
      await expectSandboxUntouched();
    });
  });
});
