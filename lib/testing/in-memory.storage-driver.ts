import type { StorageDriver } from '../resources/buckets/storage-driver.interface.js';

/**
 * Bucket objects in a Map, for tests: nothing touches the disk, so nothing is left behind.
 * Bodies are copied in and out, as a real store would, so a test cannot change a stored object
 * by mutating the Buffer it uploaded or downloaded.
 */
export class InMemoryStorageDriver implements StorageDriver {
  private readonly buckets = new Map<string, Map<string, Buffer>>();

  async put(bucket: string, key: string, body: Buffer, _contentType: string): Promise<void> {
    let objects = this.buckets.get(bucket);
    if (objects === undefined) {
      objects = new Map();
      this.buckets.set(bucket, objects);
    }
    objects.set(key, Buffer.from(body));
  }

  async get(bucket: string, key: string): Promise<Buffer | undefined> {
    const body = this.buckets.get(bucket)?.get(key);
    return body === undefined ? undefined : Buffer.from(body);
  }

  async delete(bucket: string, key: string): Promise<void> {
    this.buckets.get(bucket)?.delete(key);
  }

  async list(bucket: string, prefix: string): Promise<string[]> {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].filter((key) => key.startsWith(prefix));
  }

  /** Real bucket names (prefixed or mapped) that hold at least one object, sorted: what a test asserts on. */
  bucketNames(): string[] {
    return [...this.buckets].filter(([, objects]) => objects.size > 0).map(([name]) => name).sort();
  }

  /** Drops every object. */
  clear(): void {
    this.buckets.clear();
  }
}
