import { parseInstallSpec } from '../../../lib/install/install-spec.js';
import { parsePinnedSource, pinnedSource } from '../../../lib/install/installed-origin.js';

describe('parseInstallSpec', () => {
  it.each([
    ['@acme/x@^1', { name: '@acme/x', range: '^1' }],
    ['x@1.2.3', { name: 'x', range: '1.2.3' }],
    ['x', { name: 'x', range: 'latest' }],
    ['@acme/x@next', { name: '@acme/x', range: 'next' }],
  ])('reads %s', (text, expected) => expect(parseInstallSpec(text)).toEqual(expected));

  it.each(['../x', '/abs/x@1', 'git+https://x/y.git', 'x@file:../y', 'x@https://evil/x.tgz', '@acme/x@', ''])('refuses %s', (text) => {
    expect(parseInstallSpec(text)).toBeUndefined();
  });
});

describe('pinned sources', () => {
  it('name the exact tarball and read back', () => {
    const origin = { package: '@acme/x', version: '1.1.0', integrity: 'sha512-abc+/=', registry: 'http://127.0.0.1:1/' };
    expect(pinnedSource(origin)).toBe('registry:@acme/x@1.1.0#sha512-abc+/=');
    expect(parsePinnedSource(pinnedSource(origin))).toEqual({ name: '@acme/x', version: '1.1.0', integrity: 'sha512-abc+/=' });
    expect(parsePinnedSource('@acme/x')).toBeUndefined();
  });
});
