import { GetObjectCommand, HeadObjectCommand, ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import { ObjectNotFoundError } from '../../../lib/resources/buckets/object-not-found.error.js';
import { S3StorageDriver } from '../../../lib/resources/buckets/s3.storage-driver.js';
import { ScopedBuckets } from '../../../lib/resources/buckets/scoped-buckets.js';
import { ResourceOverridesStore } from '../../../lib/resources/resource-overrides.store.js';
import { ResourceScope } from '../../../lib/resources/resource-scope.js';
import { LocalS3 } from './support/s3rver.js';

function bucketsOf(name: string, allowedBuckets: string[], driver: S3StorageDriver, overrides = new ResourceOverridesStore()): ScopedBuckets {
  return new ScopedBuckets(new ResourceScope({ name, version: '1.0.0', allowedBuckets }, overrides), driver, () => {});
}

async function bucketNames(client: S3Client): Promise<string[]> {
  const { Buckets = [] } = await client.send(new ListBucketsCommand({}));
  return Buckets.map((bucket) => bucket.Name!).sort();
}

describe('ctx.buckets on an S3-compatible server (s3rver)', () => {
  let s3: LocalS3;
  let client: S3Client;

  beforeAll(async () => {
    s3 = await LocalS3.start(['provisioned-plugin_files']);
    client = s3.client();
  });

  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
  });

  it('round-trips objects through the real prefixed bucket, creating it on first upload', async () => {
    const buckets = bucketsOf('my-plugin', ['files'], new S3StorageDriver(client, { createBuckets: true }));
    expect(await bucketNames(client)).not.toContain('my-plugin_files');
    // A bucket that does not exist yet reads as empty rather than failing.
    expect(await buckets.list('files')).toEqual([]);

    await buckets.upload('reports/q1.csv', 'a,b\n1,2', 'text/csv', 'files');
    await buckets.upload('reports/2024/q2.csv', 'ünïcødé', 'text/csv', 'files');
    await buckets.upload('avatar.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]), 'image/png', 'files');

    expect(await bucketNames(client)).toContain('my-plugin_files');
    const raw = await client.send(new GetObjectCommand({ Bucket: 'my-plugin_files', Key: 'reports/q1.csv' }));
    expect(await raw.Body!.transformToString()).toBe('a,b\n1,2');
    expect(raw.ContentType).toBe('text/csv');

    expect((await buckets.download('reports/q1.csv', 'files')).toString('utf8')).toBe('a,b\n1,2');
    expect((await buckets.download('reports/2024/q2.csv', 'files')).toString('utf8')).toBe('ünïcødé');
    expect(await buckets.download('avatar.png', 'files')).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]));
    expect(await buckets.list('files')).toEqual(['avatar.png', 'reports/2024/q2.csv', 'reports/q1.csv']);
    expect(await buckets.list('files', 'reports/')).toEqual(['reports/2024/q2.csv', 'reports/q1.csv']);
    expect(await buckets.list('files', 'av')).toEqual(['avatar.png']);

    await buckets.delete('reports/q1.csv', 'files');
    await buckets.delete('reports/q1.csv', 'files');

    expect(await buckets.list('files')).toEqual(['avatar.png', 'reports/2024/q2.csv']);
    await expect(client.send(new HeadObjectCommand({ Bucket: 'my-plugin_files', Key: 'reports/q1.csv' }))).rejects.toMatchObject({
      name: 'NotFound',
    });
  });

  it('rejects a download of a missing key with ObjectNotFoundError, in an existing or a not-yet-created bucket', async () => {
    const buckets = bucketsOf('lookup-plugin', ['files', 'empty'], new S3StorageDriver(client, { createBuckets: true }));
    await buckets.upload('present.txt', 'x', 'text/plain', 'files');

    await expect(buckets.download('absent.txt', 'files')).rejects.toThrow(
      new ObjectNotFoundError('lookup-plugin', 'files', 'absent.txt').message,
    );
    await expect(buckets.download('absent.txt', 'empty')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(buckets.delete('absent.txt', 'empty')).resolves.toBeUndefined();
  });

  it('uses a host-provisioned bucket without creating any, and fails loudly (without the endpoint) on a missing one', async () => {
    const overrides = new ResourceOverridesStore();
    const buckets = bucketsOf('provisioned-plugin', ['files'], new S3StorageDriver(client), overrides);

    await buckets.upload('hello.txt', 'hello', 'text/plain', 'files');
    expect((await buckets.download('hello.txt', 'files')).toString()).toBe('hello');

    overrides.set('provisioned-plugin', { bucketNameMap: { files: 'never-provisioned' } });

    const missing = { name: 'BucketStorageError', storageCode: 'NoSuchBucket', bucket: 'files' };
    await expect(buckets.upload('hello.txt', 'hello', 'text/plain', 'files')).rejects.toMatchObject(missing);
    await expect(buckets.list('files')).rejects.toMatchObject(missing);
    expect(await bucketNames(client)).not.toContain('never-provisioned');
  });

  it('keeps plugins apart: each sees only its own bucket', async () => {
    const driver = new S3StorageDriver(client, { createBuckets: true });
    const alpha = bucketsOf('alpha', ['shared'], driver);
    const beta = bucketsOf('beta', ['shared'], driver);

    await alpha.upload('secret.txt', 'alpha only', 'text/plain', 'shared');

    expect(await beta.list('shared')).toEqual([]);
    await expect(beta.download('secret.txt', 'shared')).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await alpha.list('shared')).toEqual(['secret.txt']);
  });

  it('pages through long listings', async () => {
    const buckets = bucketsOf('many-plugin', ['files'], new S3StorageDriver(client, { createBuckets: true }));
    const keys = Array.from({ length: 1005 }, (_, index) => `k/${String(index).padStart(4, '0')}`);

    for (let start = 0; start < keys.length; start += 50) {
      await Promise.all(keys.slice(start, start + 50).map((key) => buckets.upload(key, key, 'text/plain', 'files')));
    }

    expect(await buckets.list('files', 'k/')).toEqual(keys);
  });
});
