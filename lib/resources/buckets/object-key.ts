/**
 * Object keys are checked before any I/O so that no driver ever sees a key that could
 * leave its bucket or name something other than one object: the local driver maps
 * keys to paths, and path syntax differs between POSIX, Windows and S3.
 */

/** S3's limit, applied to every driver so that keys move between drivers unchanged. */
const MAX_KEY_BYTES = 1024;
/** A file name's limit on the usual file systems (NAME_MAX), since the local driver makes each segment one. */
const MAX_SEGMENT_BYTES = 255;

// C0 and C1 controls, DEL included: never part of a file name worth keeping, and NUL truncates paths in C.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
// In a `u` regex a well-formed pair is one code point, so this matches only lone surrogates, which file systems and S3 would mangle.
const LONE_SURROGATE = /\p{Cs}/u;
// `C:x` is relative to drive C's current directory on Windows, so a drive letter means "elsewhere" with or without a slash.
const DRIVE_LETTER = /^[a-z]:/i;
// Windows strips trailing dots and spaces from path segments, so `.. ` or `...` could become `..` there.
const ONLY_DOTS_AND_WHITESPACE = /^[.\s]+$/;

/**
 * Why `key` may not name an object, or undefined when it may. Percent-encoding is not
 * decoded: `%2e%2e` is a literal name. Takes any value: plugin code is not type-checked.
 */
export function objectKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return notAString(key);
  if (key === '') return 'it is empty';
  return pathProblem(key, key.split('/'));
}

/** As `objectKeyProblem`, except that a listing prefix may be empty (everything) and may end with `/` (a folder). */
export function objectPrefixProblem(prefix: unknown): string | undefined {
  if (typeof prefix !== 'string') return notAString(prefix);
  if (prefix === '') return undefined;
  const segments = prefix.split('/');
  if (prefix.endsWith('/')) segments.pop();
  return pathProblem(prefix, segments);
}

function pathProblem(path: string, segments: readonly string[]): string | undefined {
  if (Buffer.byteLength(path, 'utf8') > MAX_KEY_BYTES) return `it is longer than ${MAX_KEY_BYTES} bytes`;
  if (CONTROL_CHARACTER.test(path)) return 'it contains a control character';
  if (LONE_SURROGATE.test(path)) return 'it contains a lone surrogate (not well-formed Unicode)';
  if (path.includes('\\')) return 'it contains a backslash (a path separator on Windows)';
  if (path.startsWith('/')) return 'it is an absolute path';
  if (DRIVE_LETTER.test(path)) return 'it starts with a drive letter';
  for (const segment of segments) {
    const problem = segmentProblem(segment);
    if (problem) return problem;
  }
  return undefined;
}

function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'it has an empty segment';
  if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) return `it has a segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  if (segment === '..') return 'it has a ".." segment (the parent directory)';
  if (segment === '.') return 'it has a "." segment';
  if (ONLY_DOTS_AND_WHITESPACE.test(segment)) return 'it has a segment of only dots and whitespace';
  return undefined;
}

function notAString(value: unknown): string {
  return `it is not a string (got ${value === null ? 'null' : typeof value})`;
}
