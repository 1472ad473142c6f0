import { posix } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ReadEntry } from 'tar';

/** Entry types a package may hold; links are judged by their target, anything else is refused. */
const PLAIN_TYPES: ReadonlySet<string> = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory']);
/** Room for the tar headers and padding beyond the entries' own bytes, when inflating. */
const HEADER_ROOM_BYTES = 8 * 1024 * 1024;
const LINK_TYPES: ReadonlySet<string> = new Set(['SymbolicLink', 'Link']);

/**
 * The first reason a package tarball is unsafe to unpack, or undefined. Read from the entries
 * themselves, because npm's extraction drops `..` entries, strips a leading `/` and skips links
 * without failing: an entry whose path is absolute or climbs out with `..`, a link whose target
 * leaves the package, a device or FIFO, or more than `maxBytes` once unpacked (the entries' sizes,
 * and an inflating that stops at the cap).
 */
export async function unsafeTarballEntry(tarball: Buffer, maxBytes: number): Promise<string | undefined> {
  // Inflated with a ceiling: a small gzip may hold gigabytes, and inflating stops at the cap.
  let archive: Buffer;
  try {
    archive = gunzipSync(tarball, { maxOutputLength: maxBytes + HEADER_ROOM_BYTES });
  } catch (error) {
    const tooLarge = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
    return tooLarge ? `it unpacks to more than ${maxBytes} bytes` : `it is not a readable tarball (${(error as Error).message})`;
  }
  // tar comes with pacote, an optional peer checked before this runs; loaded only by a host that installs.
  const { Parser } = await import('tar');
  return new Promise((resolve) => {
    let unpacked = 0;
    let verdict: string | undefined;
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        verdict ??= problemOf(entry, (unpacked += entry.size ?? 0), maxBytes);
        if (verdict !== undefined) parser.abort(new Error(verdict));
        entry.resume();
      },
    });
    parser.on('abort', () => resolve(verdict ?? 'it is not a readable tarball'));
    parser.on('error', (error: Error) => resolve(verdict ?? `it is not a readable tarball (${error.message})`));
    parser.on('end', () => resolve(verdict));
    parser.end(archive);
  });
}

function problemOf(entry: ReadEntry, unpackedSoFar: number, maxBytes: number): string | undefined {
  const path = String(entry.header.path ?? entry.path);
  if (isAbsolute(path)) return `its entry "${path}" has an absolute path`;
  if (path.split(/[\\/]/).includes('..')) return `its entry "${path}" climbs out of the package`;
  if (LINK_TYPES.has(entry.type)) {
    const target = String(entry.linkpath ?? '');
    const resolved = posix.normalize(entry.type === 'Link' ? target : posix.join(posix.dirname(path), target));
    if (isAbsolute(target) || resolved.split('/')[0] === '..' || packageRootOf(resolved) !== packageRootOf(path)) {
      return `its entry "${path}" links out of the package (to "${target}")`;
    }
  } else if (!PLAIN_TYPES.has(entry.type)) {
    return `its entry "${path}" is a ${entry.type}`;
  }
  if (unpackedSoFar > maxBytes) return `it unpacks to more than ${maxBytes} bytes`;
  return undefined;
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\') || /^[a-z]:/i.test(path);
}

/** The first segment: npm packs everything under `package/`, which unpacking strips. */
function packageRootOf(path: string): string {
  return posix.normalize(path).split('/')[0];
}
