import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BucketAccessDeniedError, ContextInvalidatedError, InvalidObjectKeyError, PluginError } from '../../../../lib/errors/index.js';
import { LocalDirectoryStorageDriver } from '../../../../lib/resources/buckets/local-directory.storage-driver.js';
import { BucketStorageError } from '../../../../lib/resources/buckets/bucket-storage.error.js';
import { ObjectNotFoundError } from '../../../../lib/resources/buckets/object-not-found.error.js';
import { ScopedBuckets } from '../../../../lib/resources/buckets/scoped-buckets.js';
import type { StorageDriver } from '../../../../lib/resources/buckets/storage-driver.interface.js';
import { ResourceOverridesStore } from '../../../../lib/resources/resource-overrides.store.js';
import { ResourceScope } from '../../../../lib/resources/resource-scope.js';

/** A driver that must never be reached: the call should have been refused before any I/O. */
const unreachableDriver: StorageDriver = {
  put: () => Promise.reject(new Error('driver reached')),
  get: () => Promise.reject(new Error('driver reached')),
  delete: () => Promise.reject(new Error('driver reached')),
  list: () => Promise.reject(new Error('driver reached')),
};

const stillValid = (): void => {};

describe('ScopedBuckets', () => {
  let root: string;
  let driver: LocalDirectoryStorageDriver;
  let overrides: ResourceOverridesStore;

  function bucketsOf(name: string, allowedBuckets: string[], storage: StorageDriver = driver, assertValid = stillValid): ScopedBuckets {
    return new ScopedBuckets(new ResourceScope({ name, version: '1.0.0', allowedBuckets }, overrides), storage, assertValid);
  }

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'scoped-buckets-'));
    driver = new LocalDirectoryStorageDriver(root);
    overrides = new ResourceOverridesStore();
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('uploads, downloads, lists and deletes objects in the prefixed bucket', async () => {
    const buckets = bucketsOf('my-plugin', ['files']);

    await buckets.upload('reports/q1.csv', 'a,b\n1,2', 'text/csv', 'files');
    await buckets.upload('avatar.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png', 'files');
    await buckets.upload('reports/2024/q2.csv', 'ünïcødé', 'text/csv', 'files');

    expect(await readFile(join(root, 'my-plugin_files', 'reports', 'q1.csv'), 'utf8')).toBe('a,b\n1,2');
    expect((await buckets.download('reports/q1.csv', 'files')).toString('utf8')).toBe('a,b\n1,2');
    expect(await buckets.download('avatar.png', 'files')).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect((await buckets.download('reports/2024/q2.csv', 'files')).toString('utf8')).toBe('ünïcødé');
    expect(await buckets.list('files')).toEqual(['avatar.png', 'reports/2024/q2.csv', 'reports/q1.csv']);
    expect(await buckets.list('files', 'reports/')).toEqual(['reports/2024/q2.csv', 'reports/q1.csv']);

    await buckets.delete('reports/q1.csv', 'files');
    await buckets.delete('reports/q1.csv', 'files');

    expect(await buckets.list('files')).toEqual(['avatar.png', 'reports/2024/q2.csv']);
  });

  it('stores a percent-encoded key literally, inside the bucket', async () => {
    const buckets = bucketsOf('my-plugin', ['files']);

    await buckets.upload('%2e%2e/x', 'literal', 'text/plain', 'files');

    expect(await readFile(join(root, 'my-plugin_files', '%2e%2e', 'x'), 'utf8')).toBe('literal');
    expect(await buckets.list('files')).toEqual(['%2e%2e/x']);
  });

  it('rejects a download of a missing object with ObjectNotFoundError naming the bucket as the plugin knows it', async () => {
    const buckets = bucketsOf('my-plugin', ['files']);

    const error = await buckets.download('nope.txt', 'files').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ObjectNotFoundError);
    expect(error).toBeInstanceOf(PluginError);
    expect(error).toMatchObject({
      code: 'PLUGIN_OBJECT_NOT_FOUND',
      message: 'Object "nope.txt" not found in bucket "files" of plugin "my-plugin"',
      pluginName: 'my-plugin',
      bucket: 'files',
      key: 'nope.txt',
    });
  });

  it('denies every operation on a bucket the plugin did not declare', async () => {
    const buckets = bucketsOf('my-plugin', ['files'], unreachableDriver);
    const message = 'Plugin "my-plugin" may not access bucket "secret" (allowed: files)';

    for (const call of [
      () => buckets.upload('a', 'x', 'text/plain', 'secret'),
      () => buckets.download('a', 'secret'),
      () => buckets.delete('a', 'secret'),
      () => buckets.list('secret'),
    ]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BucketAccessDeniedError);
      expect(error).toMatchObject({ code: 'PLUGIN_BUCKET_ACCESS_DENIED', message });
    }
  });

  it('denies by the unprefixed name only: the real name of an allowed bucket is not itself allowed', async () => {
    const buckets = bucketsOf('my-plugin', ['files'], unreachableDriver);

    await expect(buckets.list('my-plugin_files')).rejects.toThrow(BucketAccessDeniedError);
  });

  it.each(['../x', 'a/../../x', '/etc/passwd', '..\\x', 'a\\b', 'a\0b', 'C:\\x', 'a//b', ''])(
    'refuses key %j with InvalidObjectKeyError before any I/O',
    async (key) => {
      const buckets = bucketsOf('my-plugin', ['files'], unreachableDriver);

      for (const call of [
        () => buckets.upload(key, 'x', 'text/plain', 'files'),
        () => buckets.download(key, 'files'),
        () => buckets.delete(key, 'files'),
      ]) {
        const error = await call().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(InvalidObjectKeyError);
        expect(error).toMatchObject({ code: 'PLUGIN_INVALID_OBJECT_KEY', pluginName: 'my-plugin', key });
      }
    },
  );

  it('says which key and why', async () => {
    const buckets = bucketsOf('my-plugin', ['files'], unreachableDriver);

    await expect(buckets.download('../x', 'files')).rejects.toThrow(
      'Plugin "my-plugin" may not use object key "../x": it has a ".." segment (the parent directory)',
    );
  });

  it('checks a listing prefix like a key, except that it may be empty or end with "/"', async () => {
    const buckets = bucketsOf('my-plugin', ['files']);
    await buckets.upload('reports/q1.csv', 'x', 'text/csv', 'files');

    expect(await buckets.list('files', '')).toEqual(['reports/q1.csv']);
    expect(await buckets.list('files', 'reports/')).toEqual(['reports/q1.csv']);
    await expect(buckets.list('files', '../')).rejects.toThrow(InvalidObjectKeyError);
    await expect(buckets.list('files', '/')).rejects.toThrow(InvalidObjectKeyError);
    await expect(buckets.list('files', 'a//')).rejects.toThrow(InvalidObjectKeyError);
  });

  it('hands what a driver throws to the plugin as BucketStorageError: code kept, message and cause dropped', async () => {
    const failing = (error: unknown): StorageDriver => ({
      put: () => Promise.reject(error),
      get: () => Promise.reject(error),
      delete: () => Promise.reject(error),
      list: () => Promise.reject(error),
    });
    const accessDenied = Object.assign(new Error("EACCES: permission denied, open '/srv/host/data/buckets/my-plugin_files/a'"), { code: 'EACCES' });
    const buckets = bucketsOf('my-plugin', ['files'], failing(accessDenied));

    const error = await buckets.upload('a', 'x', 'text/plain', 'files').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BucketStorageError);
    expect(error).toMatchObject({ pluginName: 'my-plugin', operation: 'upload', bucket: 'files', key: 'a', storageCode: 'EACCES' });
    expect((error as Error).message).toBe('Plugin "my-plugin" could not upload object "a" in bucket "files": the storage failed (EACCES)');
    expect((error as Error).cause).toBeUndefined();
    await expect(buckets.list('files', 'dir/')).rejects.toThrow('Plugin "my-plugin" could not list prefix "dir/" of bucket "files": the storage failed (EACCES)');

    // An S3 error is known by its name; a code that could carry text is not repeated.
    const s3 = bucketsOf('my-plugin', ['files'], failing(Object.assign(new Error('Access Denied at https://internal:9000'), { name: 'AccessDenied' })));
    await expect(s3.download('a', 'files')).rejects.toThrow('Plugin "my-plugin" could not download object "a" in bucket "files": the storage failed (AccessDenied)');
    const odd = bucketsOf('my-plugin', ['files'], failing({ code: '/srv/host path' }));
    await expect(odd.delete('a', 'files')).rejects.toThrow('Plugin "my-plugin" could not delete object "a" in bucket "files": the storage failed');
  });

  it('checks the bucket before the key', async () => {
    const buckets = bucketsOf('my-plugin', ['files'], unreachableDriver);

    await expect(buckets.upload('../x', 'x', 'text/plain', 'secret')).rejects.toThrow(BucketAccessDeniedError);
  });

  it('resolves the bucket on every call, so changed overrides apply to the next one', async () => {
    const buckets = bucketsOf('my-plugin', ['files']);

    await buckets.upload('one.txt', '1', 'text/plain', 'files');
    overrides.set('my-plugin', { bucketNameMap: { files: 'shared-files' } });
    await buckets.upload('two.txt', '2', 'text/plain', 'files');

    expect(await readdir(join(root, 'my-plugin_files'))).toEqual(['one.txt']);
    expect(await readdir(join(root, 'shared-files'))).toEqual(['two.txt']);
    expect(await buckets.list('files')).toEqual(['two.txt']);

    overrides.set('my-plugin', { allowedBuckets: ['archive'] });

    await expect(buckets.list('files')).rejects.toThrow('Plugin "my-plugin" may not access bucket "files" (allowed: archive)');
    await buckets.upload('three.txt', '3', 'text/plain', 'archive');
    expect(await readdir(join(root, 'my-plugin_archive'))).toEqual(['three.txt']);

    overrides.set('my-plugin', undefined);

    expect(await buckets.list('files')).toEqual(['one.txt']);
  });

  it('keeps two plugins apart even when their buckets share a name', async () => {
    const alpha = bucketsOf('alpha', ['files']);
    const beta = bucketsOf('beta', ['files']);

    await alpha.upload('secret.txt', 'alpha only', 'text/plain', 'files');
    await beta.upload('public.txt', 'beta', 'text/plain', 'files');

    expect(await alpha.list('files')).toEqual(['secret.txt']);
    expect(await beta.list('files')).toEqual(['public.txt']);
    await expect(beta.download('secret.txt', 'files')).rejects.toThrow(ObjectNotFoundError);
    await expect(beta.download('secret.txt', 'alpha_files')).rejects.toThrow(BucketAccessDeniedError);
    await expect(beta.download('../alpha_files/secret.txt', 'files')).rejects.toThrow(InvalidObjectKeyError);
    await beta.delete('secret.txt', 'files');
    expect((await alpha.download('secret.txt', 'files')).toString()).toBe('alpha only');
  });

  it('stops every operation once the context is invalidated, before checking anything else', async () => {
    let valid = true;
    const assertValid = (): void => {
      if (!valid) throw new ContextInvalidatedError('my-plugin');
    };
    const buckets = bucketsOf('my-plugin', ['files'], driver, assertValid);
    await buckets.upload('kept.txt', 'x', 'text/plain', 'files');

    valid = false;

    for (const call of [
      () => buckets.upload('a', 'x', 'text/plain', 'files'),
      () => buckets.download('kept.txt', 'files'),
      () => buckets.delete('kept.txt', 'files'),
      () => buckets.list('files'),
      () => buckets.list('secret', '../'),
    ]) {
      await expect(call()).rejects.toThrow(ContextInvalidatedError);
    }
    expect(await readdir(join(root, 'my-plugin_files'))).toEqual(['kept.txt']);
  });
});
