import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../../isolation/support/isolation-harness.js';
import { SANDBOX_AVAILABLE, SANDBOX_SKIPPED, SandboxHost } from './support/sandbox-host.js';

/**
 * SPEC §16: a `'process'` plugin in bubblewrap, attacking the host that runs it (a host in a
 * process of its own, started with a secret in its environment). Judged by effects: the host's
 * pid alive, unstopped and answering, the host's log of requests, files on the host's disk.
 */
(SANDBOX_AVAILABLE ? describe : describe.skip)('a process plugin in the OS sandbox', () => {
  const canary = `canary-${randomBytes(8).toString('hex')}`;
  let host: SandboxHost;

  beforeAll(async () => {
    host = await SandboxHost.start('required', { SECRET_CANARY: canary, SANDBOX_DECLARED: 'declared-value', SANDBOX_UNSET: undefined });
    expect(await host.post('load')).toEqual({ loaded: true });
  }, 90_000);

  afterAll(async () => {
    await host?.stop();
  });

  const hostUnharmed = async () => {
    expect(host.runsUnstopped()).toBe(true);
    await expect(host.answersWithin(100)).resolves.toBe(true);
  };

  it('runs as the second process of a PID namespace of its own, with /scratch as its temporary folder', async () => {
    await expect(host.call('identity')).resolves.toEqual({ value: { pid: 2, ppid: 1, tmpdir: '/scratch' } });
  });

  it('sees only the declared variables of the host’s environment', async () => {
    const { value: environment } = await host.call('environment');
    expect(JSON.stringify(environment)).not.toContain(canary);
    expect(environment).toEqual({ SANDBOX_DECLARED: 'declared-value', TMPDIR: '/scratch', PWD: '/scratch' });
  });

  const guestAnswers = () => waitUntil(async () => (await host.call('identity')).value?.pid === 2, 'the guest to answer again');

  it.each(['SIGSTOP', 'SIGKILL'])('cannot %s its parent, the host’s pid, or any pid it can name', async (signal) => {
    // Its parent is the namespace's init, which ignores signals from inside.
    await expect(host.call('signal', signal)).resolves.toEqual({ value: 'sent' });
    await hostUnharmed();
    await expect(host.call('signal', signal, host.pid)).resolves.toEqual({ value: 'ESRCH' });
    await hostUnharmed();
    // kill -1 and every pid up to 65 536: the guest may hit itself through its threads' ids
    // (then the host restarts it), never a process outside.
    await host.call('signalEveryone', signal);
    await hostUnharmed();
    await guestAnswers();
    await hostUnharmed();
  }, 30_000);

  it('cannot connect to the host’s HTTP port', async () => {
    await expect(host.call('connect', host.port)).resolves.toEqual({ value: 'ECONNREFUSED' });
    await expect(host.call('fetch', `${host.url}/canary`)).resolves.toEqual({ value: 'ECONNREFUSED' });
    // The host's own count of requests that reached it; the test itself can reach it.
    await expect(host.get('canary-hits')).resolves.toEqual({ hits: 0 });
    await fetch(`${host.url}/canary`);
    await expect(host.get('canary-hits')).resolves.toEqual({ hits: 1 });
  });

  it('writes only in its scratch folder, which its restart replaces and its unload removes', async () => {
    const outside = join(host.tmpdir, `escaped-${randomBytes(4).toString('hex')}.txt`);
    const { value: refused } = await host.call('writeFile', outside, 'escaped');
    expect(refused).not.toBe('written');
    expect(existsSync(outside)).toBe(false);

    const token = randomBytes(8).toString('hex');
    await expect(host.call('writeScratch', 'note.txt', token)).resolves.toEqual({ value: token });
    const [first] = host.scratchFolders();
    expect(host.scratchFolders()).toHaveLength(1);
    expect(readFileSync(join(first, 'note.txt'), 'utf8')).toBe(token);

    // A crash: the restarted guest gets a new, empty folder, and the old one goes.
    await host.call('exit');
    await waitUntil(() => !existsSync(first), 'the crashed guest’s scratch folder to go');
    await guestAnswers();
    const [second] = host.scratchFolders();
    expect(second).not.toBe(first);
    expect(readdirSync(second)).toEqual([]);

    await host.post('unload');
    expect(host.scratchFolders()).toEqual([]);
    expect(host.children()).toEqual([]);
    expect(await host.post('load')).toEqual({ loaded: true });
  }, 60_000);
});

if (SANDBOX_SKIPPED !== undefined) {
  describe.skip(SANDBOX_SKIPPED, () => {
    it('attacks the host from a sandboxed process plugin', () => undefined);
  });
}
