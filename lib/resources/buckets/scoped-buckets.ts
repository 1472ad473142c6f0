import { InvalidObjectKeyError } from '../../errors/index.js';
import type { ResourceScope } from '../resource-scope.js';
import { objectKeyProblem, objectPrefixProblem } from './object-key.js';
import { ObjectNotFoundError } from './object-not-found.error.js';
import type { StorageDriver } from './storage-driver.interface.js';

/**
 * A plugin's buckets (`ctx.buckets`): bucket names as the plugin declares them, object
 * keys relative to the bucket. Every call first checks that the plugin is still loaded,
 * then resolves the bucket afresh (the host may change overrides at any time), then
 * checks the key, all before the driver is touched.
 */
export class ScopedBuckets {
  constructor(
    private readonly scope: ResourceScope,
    private readonly driver: StorageDriver,
    private readonly assertValid: () => void,
  ) {}

  async upload(key: string, body: string | Buffer, contentType: string, bucket: string): Promise<void> {
    const realBucket = this.realBucket(bucket);
    this.checkKey(key, objectKeyProblem(key));
    await this.driver.put(realBucket, key, typeof body === 'string' ? Buffer.from(body, 'utf8') : body, contentType);
  }

  async download(key: string, bucket: string): Promise<Buffer> {
    const realBucket = this.realBucket(bucket);
    this.checkKey(key, objectKeyProblem(key));
    const body = await this.driver.get(realBucket, key);
    if (body === undefined) throw new ObjectNotFoundError(this.scope.pluginName, bucket, key);
    return body;
  }

  async delete(key: string, bucket: string): Promise<void> {
    const realBucket = this.realBucket(bucket);
    this.checkKey(key, objectKeyProblem(key));
    await this.driver.delete(realBucket, key);
  }

  /** Keys in the bucket that start with `prefix`, sorted. */
  async list(bucket: string, prefix = ''): Promise<string[]> {
    const realBucket = this.realBucket(bucket);
    this.checkKey(prefix, objectPrefixProblem(prefix));
    const keys = await this.driver.list(realBucket, prefix);
    return keys.sort();
  }

  private realBucket(bucket: string): string {
    this.assertValid();
    return this.scope.realName('bucket', bucket);
  }

  private checkKey(key: string, problem: string | undefined): void {
    if (problem !== undefined) throw new InvalidObjectKeyError(this.scope.pluginName, key, problem);
  }
}
