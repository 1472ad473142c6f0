import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A command of the README run by bash, as a reader's terminal runs it, in a process group of
 * its own (`npm start` starts the Nest CLI, which starts the app): Ctrl+C and the final stop
 * reach the whole group, by its id.
 */
export class ShellProcess {
  private readonly child: ChildProcess;
  private printed = '';
  readonly exited: Promise<number | null>;

  constructor(command: string, options: { cwd: string; env: NodeJS.ProcessEnv }) {
    this.child = spawn('bash', ['-c', command], { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk) => (this.printed += chunk));
    this.child.stderr!.on('data', (chunk) => (this.printed += chunk));
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
  }

  get output(): string {
    return this.printed;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits until `done()` holds, failing with what the command printed if it exits or the time runs out. */
  async until(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (!this.running) throw new Error(`the command exited before ${what}:\n${this.printed}`);
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms:\n${this.printed}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Ctrl+C (SIGINT to the group), then whatever is left of the group is killed. */
  async interrupt(timeoutMs = 20_000): Promise<number | null> {
    this.signalGroup('SIGINT');
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    this.signalGroup('SIGKILL');
    return code;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.child.pid!, signal);
    } catch {
      // the group is gone already
    }
  }
}

/** Runs a command to its end: its exit code and everything it printed. */
export async function runToEnd(command: string, options: { cwd: string; env: NodeJS.ProcessEnv }, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const shell = new ShellProcess(command, options);
  const timer = setTimeout(() => void shell.interrupt(), timeoutMs);
  const code = await shell.exited;
  clearTimeout(timer);
  return { code, output: shell.output };
}
