import type { ScopedBuckets as PluginBuckets } from '../../interfaces/facets/buckets.facet.js';
import { InvalidObjectKeyError } from '../../errors/index.js';
import { describeValue } from '../../metadata/problem-text.js';
import type { ResourceScope } from '../resource-scope.js';
import { BucketStorageError } from './bucket-storage.error.js';
import { objectKeyProblem, objectPrefixProblem } from './object-key.js';
import { ObjectNotFoundError } from './object-not-found.error.js';
import type { StorageDriver } from './storage-driver.interface.js';
import { PluginMeter } from '../../observability/metrics/plugin-meter.js';

type Operation = BucketStorageError['operation'];

/** A short, safe storage error code (`ENAMETOOLONG`, `AccessDenied`), never a message. */
const STORAGE_CODE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * A plugin's buckets (`ctx.buckets`): bucket names as the plugin declares them, object
 * keys relative to the bucket. Every call first checks that the plugin is still loaded,
 * then resolves the bucket afresh (the host may change overrides at any time), then
 * checks the key, all before the driver is touched. What the driver throws reaches the
 * plugin as `BucketStorageError`, which names the plugin's bucket and key and no host path.
 */
export class ScopedBuckets implements PluginBuckets {
  readonly #scope: ResourceScope;
  readonly #driver: StorageDriver;
  readonly #assertValid: () => void;
  readonly #meter: PluginMeter;

  constructor(scope: ResourceScope, driver: StorageDriver, assertValid: () => void, meter = new PluginMeter(scope.pluginName, false, undefined)) {
    this.#meter = meter;
    this.#scope = scope;
    this.#driver = driver;
    this.#assertValid = assertValid;
  }

  async upload(key: string, body: string | Buffer, contentType: string, bucket: string): Promise<void> {
    const realBucket = this.realBucket(bucket);
    this.checkKey(key, objectKeyProblem(key));
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    await this.storage('upload', bucket, key, () => this.#driver.put(realBucket, key, bytes, contentType));
    this.#meter.bucketBytesUploaded += bytes.length;
  }

  async download(key: string, bucket: string): Promise<Buffer> {
    const realBucket = this.realBucket(bucket);
    this.checkKey(key, objectKeyProblem(key));
    const body = await this.storage('download', bucket, key, () => this.#driver.get(realBucket, key));
    if (body === undefined) throw new ObjectNotFoundError(this.#scope.pluginName, bucket, key);
    this.#meter.bucketBytesDownloaded += body.length;
    return body;
  }

  async delete(key: string, bucket: string): Promise<void> {
    const realBucket = this.realBucket(bucket);
    this.checkKey(key, objectKeyProblem(key));
    await this.storage('delete', bucket, key, () => this.#driver.delete(realBucket, key));
  }

  /** Keys in the bucket that start with `prefix`, sorted. */
  async list(bucket: string, prefix = ''): Promise<string[]> {
    const realBucket = this.realBucket(bucket);
    this.checkKey(prefix, objectPrefixProblem(prefix));
    const keys = await this.storage('list', bucket, prefix, () => this.#driver.list(realBucket, prefix));
    return keys.sort();
  }

  /** A name that is not a string (plugin code is not type-checked) is denied like any unlisted one. */
  private realBucket(bucket: unknown): string {
    this.#assertValid();
    if (typeof bucket !== 'string') throw this.#scope.policy.denied('bucket', describeValue(bucket));
    return this.#scope.realName('bucket', bucket);
  }

  private checkKey(key: unknown, problem: string | undefined): void {
    if (problem !== undefined) throw new InvalidObjectKeyError(this.#scope.pluginName, typeof key === 'string' ? key : describeValue(key), problem);
  }

  private async storage<T>(operation: Operation, bucket: string, key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new BucketStorageError(this.#scope.pluginName, operation, bucket, key, storageCodeOf(error));
    }
  }
}

function storageCodeOf(error: unknown): string | undefined {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  const candidate = typeof code === 'string' ? code : name !== 'Error' && typeof name === 'string' ? name : undefined;
  return candidate !== undefined && STORAGE_CODE.test(candidate) ? candidate : undefined;
}
