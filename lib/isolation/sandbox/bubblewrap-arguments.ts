import { sep } from 'node:path';

/** Where a sandboxed guest finds its scratch folder, and its `TMPDIR`: no host path shows. */
export const SANDBOX_SCRATCH_DIRECTORY = '/scratch';

/** A system path the Node binary needs: bound read-only, or recreated when it is a symlink on the host. */
export interface SystemPath {
  readonly path: string;
  readonly symlinkTo?: string;
}

export interface SandboxLayout {
  /** the Node binary the guest runs (`process.execPath`) */
  readonly nodeBinary: string;
  /** the shared libraries and loader cache it needs */
  readonly system: readonly SystemPath[];
  /** host folders the guest reads, each at its own path (the plugin's, the library's, `node_modules`) */
  readonly readable: readonly string[];
  /** the host folder bound writable at `SANDBOX_SCRATCH_DIRECTORY` */
  readonly scratch: string;
}

/**
 * bubblewrap's arguments for a guest, before the command it runs. Its environment is not
 * among them: `--setenv` would show the plugin's declared values (secrets, often) in `ps`
 * to every local user, so the launcher gives bwrap exactly the guest's environment instead.
 */
export function bubblewrapArguments(layout: SandboxLayout): string[] {
  return [
    ...isolationArguments(layout.nodeBinary, layout.system),
    '--hostname',
    'sandbox',
    // Before the binds: a plugin or library folder below /tmp on the host still shows through.
    '--tmpfs',
    '/tmp',
    ...outermost(layout.readable).flatMap((path) => ['--ro-bind', path, path]),
    '--bind',
    layout.scratch,
    SANDBOX_SCRATCH_DIRECTORY,
    '--chdir',
    SANDBOX_SCRATCH_DIRECTORY,
  ];
}

/** The namespaces and the system view alone: what the availability probe runs `node --version` in. */
export function isolationArguments(nodeBinary: string, system: readonly SystemPath[]): string[] {
  return [
    // New user, PID, network, IPC, UTS and cgroup namespaces: nothing outside can be seen,
    // signalled or connected to; the channel to the host is an inherited descriptor.
    '--unshare-all',
    // A host running as root would otherwise keep every capability inside the new user namespace.
    '--cap-drop',
    'ALL',
    '--die-with-parent',
    // A session of its own: no TIOCSTI into the host's terminal.
    '--new-session',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--ro-bind',
    nodeBinary,
    nodeBinary,
    ...system.flatMap(({ path, symlinkTo }) => (symlinkTo === undefined ? ['--ro-bind-try', path, path] : ['--symlink', symlinkTo, path])),
  ];
}

/** Each folder once, without those inside another (same content, one mount fewer). */
function outermost(folders: readonly string[]): string[] {
  const trimmed = [...new Set(folders.map((folder) => (folder.length > 1 && folder.endsWith(sep) ? folder.slice(0, -1) : folder)))].sort();
  return trimmed.filter((folder) => !trimmed.some((other) => other !== folder && folder.startsWith(other === sep ? other : other + sep)));
}
