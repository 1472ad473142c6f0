import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
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
