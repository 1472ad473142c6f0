import { fork, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { rmSync } from 'node:fs';
import { constants } from 'node:os';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { GuestWorkerData, MessageEndpoint } from '../rpc-channel.js';
import { bubblewrapArguments, SANDBOX_SCRATCH_DIRECTORY } from '../sandbox/bubblewrap-arguments.js';
import { guestEnvironment } from '../sandbox/guest-environment.js';
import { readablePaths, withSeparator } from '../sandbox/readable-paths.js';
import { createScratchFolder, removeScratchFolder } from '../sandbox/scratch-folder.js';
import type { SandboxMode } from '../../interfaces/isolation-options.interface.js';
import { DEFAULT_SANDBOX_MODE } from '../sandbox/sandbox-mode.js';
import { systemPaths } from '../sandbox/system-paths.js';
import { GUEST_ENTRY_URL, LIBRARY_DIRECTORY } from './guest-entry.js';
import { hostDirectories, withoutHostPaths } from '../../errors/without-host-paths.js';
import { GuestOutput } from './guest-output.js';
import { sandboxCommandFor } from './guest-sandbox.js';

export interface GuestLaunchOptions {
  readonly mode: 'thread' | 'process';
  /** the plugin's module file: its folder is what a contained process may read besides the library and node_modules */
  readonly moduleFile: string;
  readonly maxOldGenerationSizeMb?: number;
  /** prefixes the guest's output lines, names the process guest's scratch folder and a sandbox error (default: the module file's name) */
  readonly pluginName?: string;
  /** process mode: the host environment variables the guest receives, by name (`@Plugin({ env })`); no others */
  readonly env?: readonly string[];
  /** process mode: `forRoot({ sandbox })`; throws `PluginSandboxUnavailableError` where `'required'` cannot be met */
  readonly sandbox?: SandboxMode;
}

/** A running guest: its channel, and a way to stop it for good. */
export interface LaunchedGuest {
  readonly endpoint: MessageEndpoint;
  /** Resolves once the thread or process is gone. */
  terminate(): Promise<void>;
  /** Called once, with why, when the guest ends without `terminate()`; `error` is the uncaught error's stack, when it had one. */
  onExit(listener: ExitListener): void;
  /** thread mode: where the guest writes the number of the last call it took up (`PendingCalls`) */
  readonly callsStarted?: Int32Array;
  /** Whether the guest keeps the host's event loop alive (it does from its start); an idle guest kept for later should not. */
  holdHost(hold: boolean): void;
  /** a process guest's process id (bubblewrap's, when sandboxed); a thread has none of its own */
  readonly pid?: number;
}

export type ExitListener = (reason: string, error?: string) => void;

export function launchGuest(options: GuestLaunchOptions): LaunchedGuest {
  return options.mode === 'thread' ? launchThread(options) : launchProcess(options);
}

function launchThread({ maxOldGenerationSizeMb, moduleFile, pluginName }: GuestLaunchOptions): LaunchedGuest {
  const callsStarted = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(GUEST_ENTRY_URL, {
    execArgv: [],
    workerData: { callsStarted } satisfies GuestWorkerData,
    stdout: true,
    stderr: true,
    ...(maxOldGenerationSizeMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb } }),
  });
  new GuestOutput(pluginName ?? labelOf(moduleFile)).follow(worker.stdout, worker.stderr);
  const exit = exitReporter();
  // An uncaught error (a throw at top level, an unhandled rejection, the heap limit) comes first, then the exit.
  worker.on('error', (error) => exit.report(error.message, error.stack === undefined ? undefined : withoutHostPaths(error.stack, hostDirectories())));
  worker.on('exit', (code) => exit.report(`exited with code ${code}`));
  return {
    endpoint: { post: (message) => worker.postMessage(message), on: (listener) => worker.on('message', listener), off: (listener) => worker.off('message', listener) },
    callsStarted,
    holdHost: (hold) => (hold ? worker.ref() : worker.unref()),
    terminate: async () => {
      exit.silence();
      await worker.terminate();
    },
    onExit: exit.listen,
  };
}

/** The channel is the fourth descriptor: bwrap passes it through to the guest as Node set it up. Output is read to prefix it. */
const PROCESS_STDIO: StdioOptions = ['ignore', 'pipe', 'pipe', 'ipc'];

/**
 * A child process under Node's permission model, inside bubblewrap where the OS allows
 * (docs/isolation.md). Its environment is only the declared variables and `TMPDIR`, its
 * scratch folder, which lives as long as this guest: a restart starts with an empty one.
 */
function launchProcess({ moduleFile, maxOldGenerationSizeMb, pluginName, env = [], sandbox = DEFAULT_SANDBOX_MODE }: GuestLaunchOptions): LaunchedGuest {
  const label = pluginName ?? labelOf(moduleFile);
  const bwrap = sandboxCommandFor(label, sandbox);
  const readable = readablePaths(dirname(moduleFile), LIBRARY_DIRECTORY);
  const scratch = createScratchFolder(label);
  let child: ChildProcess;
  try {
    child = startProcess({ bwrap, readable, scratch, env, maxOldGenerationSizeMb });
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  let removal: Promise<void> | undefined;
  const removeScratch = () => (removal ??= removeScratchFolder(scratch));
  const output = new GuestOutput(label);
  output.follow(child.stdout, child.stderr);
  const exit = exitReporter();
  child.on('error', (error) => {
    exit.report(error.message);
    if (child.pid === undefined) void removeScratch();
  });
  // After 'exit', once its output is read: the uncaught error Node printed is the crash's cause.
  child.on('close', (code, signal) => {
    void removeScratch();
    exit.report(describeExit(code, signal, bwrap !== undefined), output.lastError());
  });
  return {
    endpoint: {
      post: (message) => {
        if (child.connected) child.send(message as never);
      },
      on: (listener) => child.on('message', listener),
      off: (listener) => child.off('message', listener),
    },
    holdHost: (hold) => {
      for (const handle of [child, child.channel, child.stdout, child.stderr] as ({ ref(): void; unref(): void } | null | undefined)[]) {
        if (hold) handle?.ref();
        else handle?.unref();
      }
    },
    terminate: async () => {
      await stopChild(child, exit);
      await removeScratch();
    },
    onExit: exit.listen,
    ...(child.pid === undefined ? {} : { pid: child.pid }),
  };
}

interface ProcessPlan {
  /** the bwrap binary, or undefined for a plain child under the permission model */
  readonly bwrap: string | undefined;
  readonly readable: readonly string[];
  /** the scratch folder on the host */
  readonly scratch: string;
  readonly env: readonly string[];
  readonly maxOldGenerationSizeMb: number | undefined;
}

function startProcess({ bwrap, readable, scratch, env, maxOldGenerationSizeMb }: ProcessPlan): ChildProcess {
  const guestScratch = bwrap === undefined ? scratch : SANDBOX_SCRATCH_DIRECTORY;
  const nodeArguments = [
    '--experimental-permission',
    ...[...readable, withSeparator(guestScratch)].map((path) => `--allow-fs-read=${path}`),
    `--allow-fs-write=${withSeparator(guestScratch)}`,
    ...(maxOldGenerationSizeMb === undefined ? [] : [`--max-old-space-size=${maxOldGenerationSizeMb}`]),
    '--no-warnings=ExperimentalWarning',
  ];
  const options = { env: { ...guestEnvironment(env, process.env), TMPDIR: guestScratch }, serialization: 'advanced' as const, stdio: PROCESS_STDIO };
  const entry = fileURLToPath(GUEST_ENTRY_URL);
  if (bwrap === undefined) return fork(entry, [], { ...options, execArgv: nodeArguments });
  const sandbox = bubblewrapArguments({ nodeBinary: process.execPath, system: systemPaths(), readable, scratch });
  return spawn(bwrap, [...sandbox, process.execPath, ...nodeArguments, entry], options);
}

/** bwrap exits with 128 + the signal that killed the guest: say which, as for a plain child. */
function describeExit(code: number | null, signal: NodeJS.Signals | null, sandboxed: boolean): string {
  if (signal !== null) return `was killed by ${signal}`;
  const guestSignal = sandboxed && code !== null && code > 128 ? Object.entries(constants.signals).find(([, number]) => number === code - 128)?.[0] : undefined;
  return guestSignal === undefined ? `exited with code ${code}` : `was killed by ${guestSignal}`;
}

function labelOf(moduleFile: string): string {
  return basename(moduleFile).split('.')[0];
}

async function stopChild(child: ChildProcess, exit: ExitReporter): Promise<void> {
  exit.silence();
  // Never started (an 'error' event, no 'exit' to wait for), or gone already.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

interface ExitReporter {
  report(reason: string, error?: string): void;
  listen(listener: ExitListener): void;
  silence(): void;
}

/** The first reason wins (an error event precedes its exit); a deliberate stop reports nothing. */
function exitReporter(): ExitReporter {
  let listener: ExitListener | undefined;
  let done = false;
  return {
    report: (reason, error) => {
      if (done) return;
      done = true;
      listener?.(reason, error);
    },
    listen: (next) => (listener = next),
    silence: () => (done = true),
  };
}
