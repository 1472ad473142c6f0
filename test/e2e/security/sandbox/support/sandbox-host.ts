import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { compileIsolationFixtures, ISOLATION_DIST } from '../../../isolation/support/isolation-harness.js';
import { sandboxAvailability } from '../../../../../lib/isolation/sandbox/sandbox-availability.js';
import type { SandboxMode } from '../../../../../lib/interfaces/isolation-options.interface.js';

const availability = sandboxAvailability();
/** Whether this machine can run the sandbox suite. */
export const SANDBOX_AVAILABLE = availability.available;
/** Where it cannot, the name of the stand-in that shows up as skipped, with why. */
export const SANDBOX_SKIPPED = availability.available ? undefined : `Sandbox suite skipped: ${availability.reason} (.ci/run installs bubblewrap)`;

const HOST_SCRIPT = join(ISOLATION_DIST, 'test', 'e2e', 'security', 'sandbox', 'fixtures', 'host', 'sandbox-host.js');
/** The library's scratch folders live under `<TMPDIR>/nestjs-plugins-scratch`; each host gets a TMPDIR of its own. */
const SCRATCH_FOLDER_NAME = 'nestjs-plugins-scratch';

export interface LogLine {
  readonly level: string;
  readonly context?: string;
  readonly message: string;
}

export interface CallOutcome {
  readonly value?: any;
  readonly error?: { name: string; code?: string; message: string };
}

/** A host application in a child process (fixtures/host/sandbox-host.ts), driven over HTTP. */
export class SandboxHost {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    /** the host's TMPDIR, whose `nestjs-plugins-scratch` holds its guests' scratch folders */
    readonly tmpdir: string,
    /** what the host logged, one JSON line each */
    readonly logs: readonly LogLine[],
  ) {}

  /** Starts a host with `forRoot({ sandbox })`; `env` is added to (or, with a value of undefined, taken out of) the test's environment. */
  static async start(sandbox: SandboxMode, env: Record<string, string | undefined> = {}): Promise<SandboxHost> {
    await compileIsolationFixtures();
    const hostTmpdir = mkdtempSync(join(tmpdir(), 'sandbox-host-'));
    const child = spawn(process.execPath, [HOST_SCRIPT, sandbox], { env: { ...process.env, TMPDIR: hostTmpdir, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    const logs: LogLine[] = [];
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the sandbox host did not start within 60 s')), 60_000);
      child.once('exit', (code) => reject(new Error(`the sandbox host exited with ${code} before listening`)));
      createInterface({ input: child.stdout! }).on('line', (text) => {
        let parsed: { port?: number } & Partial<LogLine>;
        try {
          parsed = JSON.parse(text);
        } catch {
          return;
        }
        if (parsed.port !== undefined) {
          clearTimeout(timer);
          resolve(parsed.port);
        } else logs.push(parsed as LogLine);
      });
    });
    return new SandboxHost(child, port, hostTmpdir, logs);
  }

  /** Runs a host that registers the plugin at boot, expecting boot to fail: what it failed with. */
  static async bootFailure(sandbox: SandboxMode, env: Record<string, string | undefined> = {}): Promise<{ exitCode: number | null; bootError?: CallOutcome['error'] }> {
    await compileIsolationFixtures();
    const hostTmpdir = mkdtempSync(join(tmpdir(), 'sandbox-host-'));
    const child = spawn(process.execPath, [HOST_SCRIPT, sandbox, 'boot'], { env: { ...process.env, TMPDIR: hostTmpdir, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let bootError: CallOutcome['error'];
    createInterface({ input: child.stdout! }).on('line', (text) => {
      if (text.startsWith('{"bootError"')) bootError = JSON.parse(text).bootError;
      // A host that did boot is stopped at once: the test fails on the missing bootError.
      if (text.startsWith('{"port"')) child.kill('SIGKILL');
    });
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    await rm(hostTmpdir, { recursive: true, force: true });
    return { exitCode, bootError };
  }

  get pid(): number {
    return this.child.pid!;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async post(path: string, body: object = {}): Promise<any> {
    const response = await fetch(`${this.url}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return response.json();
  }

  async get(path: string): Promise<any> {
    return (await fetch(`${this.url}/${path}`)).json();
  }

  call(method: string, ...args: unknown[]): Promise<CallOutcome> {
    return this.post('call', { method, args });
  }

  /** The scratch folders of this host's guests, on the host's side. */
  scratchFolders(): string[] {
    const root = join(this.tmpdir, SCRATCH_FOLDER_NAME);
    return existsSync(root) ? readdirSync(root).map((name) => join(root, name)) : [];
  }

  /** Alive and not stopped: the kernel's own word (`/proc/<pid>/stat`), not the host's. */
  runsUnstopped(): boolean {
    try {
      process.kill(this.pid, 0);
    } catch {
      return false;
    }
    const state = readFileSync(`/proc/${this.pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    return state !== 'T' && state !== 't' && state !== 'Z';
  }

  /** Whether one of three requests to `/ping` is answered within `ms` (one try may meet a busy shared machine). */
  async answersWithin(ms: number): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const start = performance.now();
      try {
        const response = await fetch(`${this.url}/ping`, { signal: AbortSignal.timeout(ms) });
        if ((await response.text()) === 'pong' && performance.now() - start <= ms) return true;
      } catch {
        // timed out: try again
      }
    }
    return false;
  }

  /** Processes whose parent is the host (its guests, or bwrap around them). */
  children(): number[] {
    const children: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
        if (ppid === this.pid) children.push(Number(entry));
      } catch {
        // gone meanwhile
      }
    }
    return children;
  }

  /** Closes the application (guests stopped, scratch folders removed), or kills it after 10 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      await this.post('close').catch(() => undefined);
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(this.tmpdir, { recursive: true, force: true });
  }
}
