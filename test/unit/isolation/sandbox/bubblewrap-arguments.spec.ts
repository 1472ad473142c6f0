import { bubblewrapArguments, isolationArguments, SANDBOX_SCRATCH_DIRECTORY } from '../../../../lib/isolation/sandbox/bubblewrap-arguments.js';

/** The flags a value follows, in order: `['--ro-bind', a, a]` is one bind. */
function triples(args: readonly string[], flag: string): string[][] {
  const found: string[][] = [];
  args.forEach((arg, index) => {
    if (arg === flag) found.push(args.slice(index + 1, index + 3));
  });
  return found;
}

describe('bubblewrapArguments', () => {
  const layout = {
    nodeBinary: '/usr/bin/node',
    system: [{ path: '/usr/lib' }, { path: '/lib', symlinkTo: 'usr/lib' }, { path: '/etc/ld.so.cache' }],
    readable: ['/app/dist/plugins/billing/', '/app/node_modules/nestjs-plugins/dist/lib/', '/app/node_modules/', '/tmp/plugins/'],
    scratch: '/tmp/nestjs-plugins-scratch/billing-Ab12Cd',
  };
  const args = bubblewrapArguments(layout);

  it('unshares every namespace, drops capabilities, dies with the host and leaves its terminal session', () => {
    expect(args.slice(0, 5)).toEqual(['--unshare-all', '--cap-drop', 'ALL', '--die-with-parent', '--new-session']);
    expect(args).not.toContain('--share-net');
    expect(triples(args, '--hostname')[0][0]).toBe('sandbox');
  });

  it('mounts a fresh /proc, /dev and /tmp, the Node binary and the system libraries read-only', () => {
    expect(args.join(' ')).toContain('--proc /proc --dev /dev');
    expect(triples(args, '--tmpfs').map(([path]) => path)).toEqual(['/tmp']);
    expect(triples(args, '--ro-bind')).toContainEqual(['/usr/bin/node', '/usr/bin/node']);
    expect(triples(args, '--ro-bind-try')).toEqual([
      ['/usr/lib', '/usr/lib'],
      ['/etc/ld.so.cache', '/etc/ld.so.cache'],
    ]);
    expect(triples(args, '--symlink')).toEqual([['usr/lib', '/lib']]);
  });

  it('binds each readable folder read-only at its own path, once, and after /tmp so one below it shows', () => {
    expect(triples(args, '--ro-bind').slice(1)).toEqual([
      ['/app/dist/plugins/billing', '/app/dist/plugins/billing'],
      ['/app/node_modules', '/app/node_modules'],
      ['/tmp/plugins', '/tmp/plugins'],
    ]);
    expect(args.indexOf('--tmpfs')).toBeLessThan(args.lastIndexOf('--ro-bind'));
  });

  it('binds the scratch folder writable at /scratch, the only writable bind, and starts there', () => {
    expect(triples(args, '--bind')).toEqual([[layout.scratch, SANDBOX_SCRATCH_DIRECTORY]]);
    expect(triples(args, '--chdir')[0][0]).toBe('/scratch');
    expect(args.filter((arg) => arg.startsWith('--bind') || arg === '--dev-bind')).toEqual(['--bind']);
  });

  it('never carries the environment on its command line (ps shows it to every local user)', () => {
    expect(args.filter((arg) => arg === '--setenv' || arg === '--clearenv')).toEqual([]);
  });

  it('probes with the same namespaces and system view', () => {
    expect(args.slice(0, isolationArguments(layout.nodeBinary, layout.system).length)).toEqual(isolationArguments(layout.nodeBinary, layout.system));
  });
});
