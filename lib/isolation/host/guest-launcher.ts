import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, parse, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MessageEndpoint } from '../rpc-channel.js';
import { GUEST_ENTRY_URL, LIBRARY_DIRECTORY } from './guest-entry.js';

export interface GuestLaunchOptions {
  readonly mode: 'thread' | 'process';
  /** the plugin's module file: its folder is what a contained process may read besides the library and node_modules */
  readonly moduleFile: string;
  readonly maxOldGenerationSizeMb?: number;
}

/** A running guest: its channel, and a way to stop it for good. */
export interface LaunchedGuest {
  readonly endpoint: MessageEndpoint;
  /** Resolves once the thread or process is gone. */
  terminate(): Promise<void>;
  /** Called once, with why, when the guest ends without `terminate()`. */
  onExit(listener: (reason: string) => void): void;
}

export function launchGuest(options: GuestLaunchOptions): LaunchedGuest {
  return options.mode === 'thread' ? launchThread(options) : launchProcess(options);
}

function launchThread({ maxOldGenerationSizeMb }: GuestLaunchOptions): LaunchedGuest {
  const worker = new Worker(GUEST_ENTRY_URL, {
    execArgv: [],
    stdout: false,
    stderr: false,
    ...(maxOldGenerationSizeMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb } }),
  });
  const exit = exitReporter();
  // An uncaught error (a throw at top level, an unhandled rejection, the heap limit) comes first, then the exit.
  worker.on('error', (error) => exit.report(error.message));
  worker.on('exit', (code) => exit.report(`exited with code ${code}`));
  return {
    endpoint: { post: (message) => worker.postMessage(message), on: (listener) => worker.on('message', listener), off: (listener) => worker.off('message', listener) },
    terminate: async () => {
      exit.silence();
      await worker.terminate();
    },
    onExit: exit.listen,
  };
}

function launchProcess({ moduleFile, maxOldGenerationSizeMb }: GuestLaunchOptions): LaunchedGuest {
  const child = fork(fileURLToPath(GUEST_ENTRY_URL), [], {
    execArgv: [
      ...containment(moduleFile),
      ...(maxOldGenerationSizeMb === undefined ? [] : [`--max-old-space-size=${maxOldGenerationSizeMb}`]),
      '--no-warnings=ExperimentalWarning',
    ],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exit = exitReporter();
  child.on('error', (error) => exit.report(error.message));
  child.on('exit', (code, signal) => exit.report(signal === null ? `exited with code ${code}` : `was killed by ${signal}`));
  return {
    endpoint: {
      post: (message) => {
        if (child.connected) child.send(message as never);
      },
      on: (listener) => child.on('message', listener),
      off: (listener) => child.off('message', listener),
    },
    terminate: () => stopChild(child, exit),
    onExit: exit.listen,
  };
}

/**
 * Node's permission model (experimental on Node 20): the process may read the plugin's own
 * folder, the library and the `node_modules` folders on the way up; nothing else, no writes,
 * no child processes, no worker threads, no native addons.
 */
function containment(moduleFile: string): string[] {
  const readable = new Set([withSeparator(dirname(moduleFile)), withSeparator(LIBRARY_DIRECTORY), ...nodeModulesAbove(LIBRARY_DIRECTORY), ...nodeModulesAbove(dirname(moduleFile))]);
  return ['--experimental-permission', ...[...readable].map((path) => `--allow-fs-read=${path}`)];
}

function nodeModulesAbove(directory: string): string[] {
  const found: string[] = [];
  for (let current = directory; ; current = dirname(current)) {
    const candidate = join(current, 'node_modules');
    if (existsSync(candidate)) found.push(withSeparator(candidate));
    if (current === parse(current).root) return found;
  }
}

const withSeparator = (directory: string): string => (directory.endsWith(sep) ? directory : directory + sep);

async function stopChild(child: ChildProcess, exit: ExitReporter): Promise<void> {
  exit.silence();
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

interface ExitReporter {
  report(reason: string): void;
  listen(listener: (reason: string) => void): void;
  silence(): void;
}

/** The first reason wins (an error event precedes its exit); a deliberate stop reports nothing. */
function exitReporter(): ExitReporter {
  let listener: ((reason: string) => void) | undefined;
  let done = false;
  return {
    report: (reason) => {
      if (done) return;
      done = true;
      listener?.(reason);
    },
    listen: (next) => (listener = next),
    silence: () => (done = true),
  };
}
