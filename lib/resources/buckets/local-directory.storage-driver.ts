import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { StorageDriver } from './storage-driver.interface.js';

/**
 * Keeps object `<key>` of bucket `<bucket>` in the file `<root>/<bucket>/<key>`. The
 * content type is not stored: downloads return bytes only, so nothing would read it.
 *
 * It re-checks every path it builds, in case a name that should have been refused
 * reaches it: a bucket must be one directory directly under the root, and an object
 * must resolve to a path inside its bucket. Symbolic links inside the root are
 * trusted, as whoever can create them already owns the directory.
 *
 * A key is a file, so unlike S3 a key cannot also be a folder of other keys (`a` and `a/b`).
 */
export class LocalDirectoryStorageDriver implements StorageDriver {
  private readonly root: string;
  /** Uploads are written here and renamed into place, so readers never see half an object. */
  private readonly uploads: string;

  constructor(rootDirectory: string) {
    this.root = resolve(rootDirectory);
    // Bucket directories cannot start with a dot, so this never collides with a bucket.
    this.uploads = join(this.root, '.uploads');
  }

  async put(bucket: string, key: string, body: Buffer, _contentType: string): Promise<void> {
    const target = this.objectPath(bucket, key);
    await mkdir(this.uploads, { recursive: true });
    const temporary = join(this.uploads, randomUUID());
    try {
      await writeFile(temporary, body);
      await this.moveIntoPlace(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(bucket: string, key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.objectPath(bucket, key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(bucket: string, key: string): Promise<void> {
    const path = this.objectPath(bucket, key);
    try {
      await unlink(path);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    await this.removeEmptyFolders(dirname(path), this.bucketDirectory(bucket));
  }

  async list(bucket: string, prefix: string): Promise<string[]> {
    const bucketDirectory = this.bucketDirectory(bucket);
    // Only the folder part of the prefix narrows the walk; the rest of it filters file names.
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const start = folder === '' ? bucketDirectory : this.insideBucket(bucketDirectory, folder);
    const entries = await readdir(start, { recursive: true, withFileTypes: true }).catch((error: unknown) => {
      if (isMissing(error)) return [];
      throw error;
    });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => relative(bucketDirectory, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .filter((key) => key.startsWith(prefix));
  }

  private async moveIntoPlace(temporary: string, target: string): Promise<void> {
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(temporary, target);
    } catch (error) {
      if (!hasCode(error, 'ENOENT')) throw error;
      // A concurrent delete pruned the folder between mkdir and rename; make it again.
      await mkdir(dirname(target), { recursive: true });
      await rename(temporary, target);
    }
  }

  /** Folders left empty by a delete would block a later object of the same name (S3 has no folders to get in the way). */
  private async removeEmptyFolders(folder: string, bucketDirectory: string): Promise<void> {
    for (let current = folder; current !== bucketDirectory; current = dirname(current)) {
      try {
        await rmdir(current);
      } catch (error) {
        if (hasCode(error, 'ENOTEMPTY') || hasCode(error, 'EEXIST') || isMissing(error)) return;
        throw error;
      }
    }
  }

  private objectPath(bucket: string, key: string): string {
    return this.insideBucket(this.bucketDirectory(bucket), key);
  }

  private bucketDirectory(bucket: string): string {
    const directory = resolve(this.root, bucket);
    // `..`, `a/b`, `x/../y`, `.` or `` would all resolve somewhere other than a child named exactly `bucket`.
    if (dirname(directory) !== this.root || basename(directory) !== bucket || bucket.startsWith('.')) {
      throw new Error(`Storage refuses bucket name ${JSON.stringify(bucket)}: it must be a plain directory name`);
    }
    return directory;
  }

  private insideBucket(bucketDirectory: string, key: string): string {
    const path = resolve(bucketDirectory, key);
    const inside = relative(bucketDirectory, path);
    if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      throw new Error(`Storage refuses object key ${JSON.stringify(key)}: it resolves outside its bucket`);
    }
    return path;
  }
}

function hasCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

/** No object there: nothing at the path, a file where a folder was expected, or a folder where a file was. */
function isMissing(error: unknown): boolean {
  return hasCode(error, 'ENOENT') || hasCode(error, 'ENOTDIR') || hasCode(error, 'EISDIR');
}
