import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guestEnvironment } from '../../../../lib/isolation/sandbox/guest-environment.js';
import { readablePaths } from '../../../../lib/isolation/sandbox/readable-paths.js';
import { probeFailureReason } from '../../../../lib/isolation/sandbox/sandbox-availability.js';
import { sandboxModeOption } from '../../../../lib/isolation/sandbox/sandbox-mode.js';

describe('guestEnvironment', () => {
  it('holds the declared names the host sets, with the host’s values, and nothing else', () => {
    expect(guestEnvironment(['API_URL', 'UNSET'], { API_URL: 'https://api', SECRET: 'x', PATH: '/usr/bin' })).toEqual({ API_URL: 'https://api' });
    expect(guestEnvironment([], { SECRET: 'x' })).toEqual({});
  });
});

describe('probeFailureReason', () => {
  it('names bwrap’s first error line, without any path in it', () => {
    expect(probeFailureReason('\nbwrap: setting up uid map: Permission denied\nmore\n')).toBe('user namespaces are not available (bwrap: setting up uid map: Permission denied)');
    expect(probeFailureReason("bwrap: Can't mount proc on /newroot/proc: Operation not permitted")).toBe(
      "user namespaces are not available (bwrap: Can't mount proc on <path>: Operation not permitted)",
    );
    expect(probeFailureReason('')).toBe('user namespaces are not available (bwrap failed without a message)');
  });
});

describe('readablePaths', () => {
  let root: string;
  beforeAll(async () => {
    root = realpathSync(await mkdtemp(join(tmpdir(), 'readable-paths-')));
    await mkdir(join(root, 'real-modules'));
    await mkdir(join(root, 'app', 'dist', 'plugins'), { recursive: true });
    await mkdir(join(root, 'app', 'lib'));
    await symlink(join(root, 'real-modules'), join(root, 'app', 'node_modules'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('is the plugin’s folder, the library’s, the node_modules above them and their real paths, each once', () => {
    expect(readablePaths(join(root, 'app', 'dist', 'plugins'), join(root, 'app', 'lib'))).toEqual([
      `${join(root, 'app', 'dist', 'plugins')}/`,
      `${join(root, 'app', 'lib')}/`,
      `${join(root, 'app', 'node_modules')}/`,
      `${join(root, 'real-modules')}/`,
    ]);
  });

  it('adds the linked library a plugin imports by name (its manifest and compiled folder, not its folder), where bubblewrap puts it too', async () => {
    // This repository's layout: node_modules/nestjs-plugins -> .. ; a checkout whose node_modules links to another's.
    const library = { name: 'nestjs-plugins', type: 'module', main: './dist/lib/index.js', exports: { '.': './dist/lib/index.js', './package.json': './package.json' } };
    for (const checkout of ['main', 'copy']) {
      await mkdir(join(root, checkout, 'dist', 'lib'), { recursive: true });
      await writeFile(join(root, checkout, 'package.json'), JSON.stringify(library));
      await writeFile(join(root, checkout, 'dist', 'lib', 'index.js'), '');
    }
    await mkdir(join(root, 'main', 'node_modules'));
    await symlink('..', join(root, 'main', 'node_modules', 'nestjs-plugins'));
    await symlink(join(root, 'main', 'node_modules'), join(root, 'copy', 'node_modules'));
    const plugin = join(root, 'copy', 'data', 'installed', 'greeting', 'dist');
    await mkdir(plugin, { recursive: true });
    await writeFile(join(plugin, '..', 'package.json'), JSON.stringify({ name: 'greeting', type: 'module' }));

    const readable = readablePaths(plugin, join(root, 'copy', 'dist', 'lib'));
    // the host resolves through the real path; inside bubblewrap, `..` is beside the mounted copy/node_modules
    expect(readable).toEqual(expect.arrayContaining([join(root, 'main', 'package.json'), `${join(root, 'main', 'dist', 'lib')}/`, join(root, 'copy', 'package.json'), `${join(root, 'copy', 'dist', 'lib')}/`]));
    expect(readable).not.toContain(`${join(root, 'main')}/`);
    expect(readable).not.toContain(`${join(root, 'copy')}/`);
    expect(readable.filter((path) => path.startsWith(join(root, 'copy', 'data')))).toEqual([`${plugin}/`]);
  });

  it("opens nothing more for a plugin's own link named nestjs-plugins to a folder that is not the library, or whose main leaves it", async () => {
    const application = join(root, 'hostile-app');
    await mkdir(join(application, 'secrets'), { recursive: true });
    await writeFile(join(application, 'package.json'), JSON.stringify({ name: 'application', main: './secrets/index.js' }));
    const faked = join(root, 'faked');
    await mkdir(join(faked, 'dist'), { recursive: true });
    await writeFile(join(faked, 'package.json'), JSON.stringify({ name: 'nestjs-plugins', main: '../hostile-app/secrets/index.js' }));
    const plugin = join(application, 'installed', 'x', 'dist');
    await mkdir(plugin, { recursive: true });
    await mkdir(join(plugin, '..', 'node_modules'));
    await symlink(application, join(plugin, '..', 'node_modules', 'nestjs-plugins'));
    await mkdir(join(application, 'installed', 'node_modules'), { recursive: true });
    await symlink(faked, join(application, 'installed', 'node_modules', 'nestjs-plugins'));
    const readable = readablePaths(plugin, join(root, 'app', 'lib'));
    expect(readable.filter((path) => path.startsWith(application) && !path.startsWith(join(application, 'installed')))).toEqual([]);
    expect(readable.filter((path) => path.startsWith(faked))).toEqual([]);
  });
});

describe('sandboxModeOption', () => {
  it("defaults to 'preferred' and takes the three modes", () => {
    expect(sandboxModeOption(undefined)).toBe('preferred');
    for (const mode of ['required', 'preferred', 'off'] as const) expect(sandboxModeOption(mode)).toBe(mode);
  });

  it('refuses a misspelt mode instead of sandboxing less than asked', () => {
    expect(() => sandboxModeOption('requried')).toThrow(new TypeError(`sandbox must be one of 'required', 'preferred', 'off', got "requried"`));
  });
});
