import { objectKeyProblem, objectPrefixProblem } from '../../../../lib/resources/buckets/object-key.js';

describe('objectKeyProblem', () => {
  it.each([
    ['', 'it is empty'],
    ['../x', 'it has a ".." segment (the parent directory)'],
    ['..', 'it has a ".." segment (the parent directory)'],
    ['a/../../x', 'it has a ".." segment (the parent directory)'],
    ['a/..', 'it has a ".." segment (the parent directory)'],
    ['./a', 'it has a "." segment'],
    ['a/./b', 'it has a "." segment'],
    ['.../x', 'it has a segment of only dots and whitespace'],
    ['a/.. /x', 'it has a segment of only dots and whitespace'],
    [' ../x', 'it has a segment of only dots and whitespace'],
    ['a/   /b', 'it has a segment of only dots and whitespace'],
    ['/etc/passwd', 'it is an absolute path'],
    ['/', 'it is an absolute path'],
    ['..\\x', 'it contains a backslash (a path separator on Windows)'],
    ['a\\b', 'it contains a backslash (a path separator on Windows)'],
    ['\\\\server\\share\\x', 'it contains a backslash (a path separator on Windows)'],
    ['C:\\x', 'it contains a backslash (a path separator on Windows)'],
    ['C:/x', 'it starts with a drive letter'],
    ['c:x', 'it starts with a drive letter'],
    ['a//b', 'it has an empty segment'],
    ['a/', 'it has an empty segment'],
    ['a\0b', 'it contains a control character'],
    ['a\nb', 'it contains a control character'],
    ['a\u007fb', 'it contains a control character'],
    ['a\u0085b', 'it contains a control character'],
    ['a\ud800b', 'it contains a lone surrogate (not well-formed Unicode)'],
    ['x'.repeat(1025), 'it is longer than 1024 bytes'],
    ['é'.repeat(513), 'it is longer than 1024 bytes'],
    ['x'.repeat(256), 'it has a segment longer than 255 bytes'],
    [`a/${'é'.repeat(128)}/b`, 'it has a segment longer than 255 bytes'],
    [`a/${'😀'.repeat(64)}`, 'it has a segment longer than 255 bytes'],
  ])('refuses %j', (key, reason) => {
    expect(objectKeyProblem(key)).toBe(reason);
  });

  it.each([
    'a',
    'reports/2024/q1.csv',
    // Nothing decodes keys, so these are literal names inside the bucket.
    '%2e%2e/x',
    '%2e%2e%2fx',
    '..a',
    'a..b/c',
    '.hidden/.env',
    'ünïcødé/文件.txt',
    '😀',
    '．．/x',
    ' leading and trailing whitespace ',
    'ab:c',
    'x'.repeat(255),
    'é'.repeat(127),
    // 1024 bytes: five segments of 204 bytes and four slashes.
    Array.from({ length: 5 }, () => 'x'.repeat(204)).join('/'),
  ])('accepts %j', (key) => {
    expect(objectKeyProblem(key)).toBeUndefined();
  });

  it.each([
    [42, 'number'],
    [undefined, 'undefined'],
    [null, 'null'],
    [{ split: () => ['a'] }, 'object'],
    [['a'], 'object'],
    [10n, 'bigint'],
    [Symbol('a'), 'symbol'],
  ])('refuses %p, which is not a string, without calling anything on it', (key, type) => {
    expect(objectKeyProblem(key)).toBe(`it is not a string (got ${type})`);
    expect(objectPrefixProblem(key)).toBe(`it is not a string (got ${type})`);
  });
});

describe('objectPrefixProblem', () => {
  it.each(['', 'reports/', 'rep', 'reports/2024/', '%2e%2e/'])('accepts %j', (prefix) => {
    expect(objectPrefixProblem(prefix)).toBeUndefined();
  });

  it.each([
    ['/', 'it is an absolute path'],
    ['../', 'it has a ".." segment (the parent directory)'],
    ['a/../', 'it has a ".." segment (the parent directory)'],
    ['a//', 'it has an empty segment'],
    ['a\\', 'it contains a backslash (a path separator on Windows)'],
    ['a\0', 'it contains a control character'],
    [`${'x'.repeat(256)}/`, 'it has a segment longer than 255 bytes'],
  ])('refuses %j', (prefix, reason) => {
    expect(objectPrefixProblem(prefix)).toBe(reason);
  });
});
