import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SANDBOX_AVAILABLE, SANDBOX_SKIPPED, SandboxHost } from './support/sandbox-host.js';

/**
 * SPEC §16, `forRoot({ sandbox })` where the OS cannot sandbox: simulated by giving the host a
 * PATH without bwrap, or with a bwrap that fails as it does without user namespaces.
 */
describe('forRoot({ sandbox }) where the operating system cannot sandbox', () => {
  const canary = `canary-${randomBytes(8).toString('hex')}`;
  const fakeBin = mkdtempSync(join(tmpdir(), 'sandbox-path-'));
  const missingBwrap = { PATH: join(fakeBin, 'empty'), SECRET_CANARY: canary, SANDBOX_DECLARED: 'declared-value' };
  const NO_SANDBOX_WARNING = /^Process plugins run without an operating-system sandbox, under Node's permission model only: bubblewrap \(bwrap\) is not installed\./;
  const hosts: SandboxHost[] = [];
  const start = async (...args: Parameters<typeof SandboxHost.start>) => {
    const host = await SandboxHost.start(...args);
    hosts.push(host);
    return host;
  };

  beforeAll(() => {
    writeFileSync(
      join(fakeBin, 'bwrap'),
      `#!/bin/sh\necho 'bwrap: No permissions to create a new namespace, likely because the kernel does not allow non-privileged user namespaces. On e.g. debian this can be enabled with /proc/sys/kernel/unprivileged_userns_clone' >&2\nexit 1\n`,
    );
    chmodSync(join(fakeBin, 'bwrap'), 0o755);
  });

  afterAll(async () => {
    for (const host of hosts) await host.stop();
    rmSync(fakeBin, { recursive: true, force: true });
  });

  // The plugin declares 'process', so even its metadata is read in the sandbox: the refusal comes
  // before its name is known, and names its file.
  const NOT_INSTALLED = { name: 'PluginSandboxUnavailableError', code: 'PLUGIN_SANDBOX_UNAVAILABLE', message: 'Plugin "hostile.plugin.js" needs a sandbox: bubblewrap (bwrap) is not installed' };
  const NOT_READ = { name: 'PluginLoadError', code: 'PLUGIN_LOAD_FAILED', message: expect.stringMatching(/: it needs a sandbox to be read: bubblewrap \(bwrap\) is not installed$/), cause: NOT_INSTALLED };

  it("'required' fails boot (PluginLoadError caused by PluginSandboxUnavailableError) when bwrap is not installed: not even the metadata is read", async () => {
    await expect(SandboxHost.bootFailure('required', missingBwrap)).resolves.toEqual({ exitCode: 1, bootError: NOT_READ });
  }, 90_000);

  it("'required' refuses a runtime load (PluginLoadError caused by it) and leaves nothing running", async () => {
    const host = await start('required', missingBwrap);
    await expect(host.post('load')).resolves.toEqual({ error: NOT_READ });
    await expect(host.get('state')).resolves.toEqual({});
    expect(host.children()).toEqual([]);
    expect(host.scratchFolders()).toEqual([]);
    expect(host.runsUnstopped()).toBe(true);
  }, 90_000);

  it("'required' names bwrap's own error where user namespaces are not available, without its path", async () => {
    const host = await start('required', { PATH: fakeBin });
    const { error } = await host.post('load');
    expect(error.cause.message).toBe(
      'Plugin "hostile.plugin.js" needs a sandbox: user namespaces are not available (bwrap: No permissions to create a new namespace, likely because the kernel does not allow non-privileged user namespaces. On e.g. debian this can be enabled with <path>)',
    );
    expect(host.children()).toEqual([]);
    expect(host.scratchFolders()).toEqual([]);
  }, 90_000);

  it("'preferred' starts the plugin under Node's permission model, declared environment only, and warns once", async () => {
    const host = await start('preferred', missingBwrap);
    for (let cycle = 0; cycle < 2; cycle++) {
      await expect(host.post('load')).resolves.toEqual({ loaded: true });
      const { value: environment } = await host.call('environment');
      expect(JSON.stringify(environment)).not.toContain(canary);
      expect(environment).toEqual({ SANDBOX_DECLARED: 'declared-value', TMPDIR: expect.stringContaining('nestjs-plugins-scratch') });
      await expect(host.call('writeScratch', 'note.txt', 'kept')).resolves.toEqual({ value: 'kept' });
      const outside = join(host.tmpdir, 'escaped.txt');
      await expect(host.call('writeFile', outside, 'escaped')).resolves.toEqual({ value: 'ERR_ACCESS_DENIED' });
      await host.post('unload');
      expect(host.scratchFolders()).toEqual([]);
    }
    const warnings = host.logs.filter((line) => line.level === 'warn' && NO_SANDBOX_WARNING.test(line.message));
    expect(warnings).toHaveLength(1);
  }, 90_000);

  it("'off' never uses the sandbox, even where it works, and says nothing", async () => {
    const host = await start('off', { SECRET_CANARY: canary });
    await expect(host.post('load')).resolves.toEqual({ loaded: true });
    const { value: identity } = await host.call('identity');
    // Outside a PID namespace its pid is a host pid, and its parent the host.
    expect(identity.ppid).toBe(host.pid);
    const { value: environment } = await host.call('environment');
    expect(JSON.stringify(environment)).not.toContain(canary);
    expect(host.logs.filter((line) => line.level === 'warn' && /sandbox/.test(line.message))).toEqual([]);
  }, 90_000);
});

if (SANDBOX_SKIPPED !== undefined) {
  describe.skip(SANDBOX_SKIPPED, () => {
    it("'preferred' uses the sandbox where it works", () => undefined);
  });
}

(SANDBOX_AVAILABLE ? describe : describe.skip)("forRoot({ sandbox: 'preferred' }) where the operating system can sandbox", () => {
  it('runs the plugin in the sandbox, without a warning', async () => {
    const host = await SandboxHost.start('preferred');
    try {
      await expect(host.post('load')).resolves.toEqual({ loaded: true });
      await expect(host.call('identity')).resolves.toEqual({ value: { pid: 2, ppid: 1, tmpdir: '/scratch' } });
      expect(host.logs.filter((line) => line.level === 'warn' && /sandbox/.test(line.message))).toEqual([]);
    } finally {
      await host.stop();
    }
  }, 90_000);
});
