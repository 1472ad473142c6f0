import { createGzip } from 'node:zlib';
import { Header } from 'tar';

/** One entry of a hand-made tarball: any path, type and link target, as a hostile publisher could write them. */
export interface TarEntry {
  readonly path: string;
  readonly type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'FIFO' | 'CharacterDevice';
  readonly body?: string | Buffer;
  readonly linkpath?: string;
  /** a file of this many zero bytes instead of `body` (streamed, so a large one costs no memory) */
  readonly zeros?: number;
}

const BLOCK = 512;
const ZERO_CHUNK = Buffer.alloc(1024 * 1024);

/**
 * A gzipped tarball with exactly these entries: npm's packer would refuse or rewrite the hostile
 * ones, so the headers are written here directly (tar's `Header` encodes them as given).
 */
export async function makeTarball(entries: readonly TarEntry[]): Promise<Buffer> {
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
  });
  const write = (buffer: Buffer) => new Promise<void>((resolve) => (gzip.write(buffer) ? resolve() : gzip.once('drain', () => resolve())));
  for (const entry of entries) {
    const type = entry.type ?? 'File';
    const body = entry.body === undefined ? Buffer.alloc(0) : Buffer.from(entry.body);
    const size = type === 'File' ? (entry.zeros ?? body.length) : 0;
    const header = new Header({ path: entry.path, type, size, mode: type === 'Directory' ? 0o755 : 0o644, mtime: new Date(0), linkpath: entry.linkpath, uid: 0, gid: 0 });
    header.encode();
    await write(header.block!);
    if (type !== 'File') continue;
    if (entry.zeros === undefined) await write(body);
    else for (let left = entry.zeros; left > 0; left -= ZERO_CHUNK.length) await write(left >= ZERO_CHUNK.length ? ZERO_CHUNK : ZERO_CHUNK.subarray(0, left));
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (padding > 0) await write(Buffer.alloc(padding));
  }
  await write(Buffer.alloc(BLOCK * 2));
  gzip.end();
  await done;
  return Buffer.concat(chunks);
}
