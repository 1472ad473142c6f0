import { unsafeTarballEntry } from '../../../lib/install/tarball-entries.js';
import { makeTarball } from '../../support/tarballs.js';

const MAX = 1024 * 1024;
const manifest = { path: 'package/package.json', body: '{"name":"x","version":"1.0.0"}' };

describe('unsafeTarballEntry', () => {
  it('accepts files and folders inside the package, and links that stay inside it', async () => {
    const tarball = await makeTarball([
      { path: 'package/', type: 'Directory' },
      manifest,
      { path: 'package/dist/index.js', body: 'export default 1;' },
      { path: 'package/dist/alias.js', type: 'SymbolicLink', linkpath: './index.js' },
      { path: 'package/lib/up.js', type: 'SymbolicLink', linkpath: '../dist/index.js' },
    ]);
    await expect(unsafeTarballEntry(tarball, MAX)).resolves.toBeUndefined();
  });

  it.each([
    ['a path that climbs out', { path: 'package/../../evil.js', body: 'x' }, 'its entry "package/../../evil.js" climbs out of the package'],
    ['an absolute path', { path: '/tmp/evil.js', body: 'x' }, 'its entry "/tmp/evil.js" has an absolute path'],
    ['a symlink out by ..', { path: 'package/escape', type: 'SymbolicLink' as const, linkpath: '../../../etc/passwd' }, 'its entry "package/escape" links out of the package (to "../../../etc/passwd")'],
    ['a symlink to an absolute path', { path: 'package/escape', type: 'SymbolicLink' as const, linkpath: '/etc/passwd' }, 'its entry "package/escape" links out of the package (to "/etc/passwd")'],
    ['a hard link to another tree', { path: 'package/hard', type: 'Link' as const, linkpath: 'other/secret' }, 'its entry "package/hard" links out of the package (to "other/secret")'],
    ['a FIFO', { path: 'package/pipe', type: 'FIFO' as const }, 'its entry "package/pipe" is a FIFO'],
  ])('refuses %s', async (_what, entry, reason) => {
    await expect(unsafeTarballEntry(await makeTarball([manifest, entry]), MAX)).resolves.toBe(reason);
  });

  it('refuses an entry whose header claims more than the cap, even when the archive is short', async () => {
    const tarball = await makeTarball([manifest, { path: 'package/claims.bin', zeros: 2 * MAX }]);
    await expect(unsafeTarballEntry(tarball, 3 * MAX)).resolves.toBeUndefined();
    await expect(unsafeTarballEntry(tarball, MAX + 1024)).resolves.toBe(`it unpacks to more than ${MAX + 1024} bytes`);
  });

  it('refuses a tarball whose entries unpack past the cap, inflating no further than the cap', async () => {
    const tarball = await makeTarball([manifest, { path: 'package/big.bin', zeros: 200 * 1024 * 1024 }]);
    const started = performance.now();
    await expect(unsafeTarballEntry(tarball, 50 * 1024 * 1024)).resolves.toBe(`it unpacks to more than ${50 * 1024 * 1024} bytes`);
    expect(performance.now() - started).toBeLessThan(1000);
  }, 60_000);

  it('refuses what is not a tarball', async () => {
    await expect(unsafeTarballEntry(Buffer.from('not a tarball at all'), MAX)).resolves.toBe('it is not a readable tarball (incorrect header check)');
    await expect(unsafeTarballEntry(await makeTarball([manifest]).then((gzip) => gzip.subarray(0, 30)), MAX)).resolves.toMatch(/^it is not a readable tarball/);
  });
});
