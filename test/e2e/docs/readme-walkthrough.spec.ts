import { cp, mkdtemp, readFile, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heartbeatsLast, maskGenerated } from './support/generated-values.js';
import { runToEnd, ShellProcess } from './support/shell-process.js';
import { walkthroughSteps, type WalkthroughStep } from './support/walkthrough-script.js';
import { freePort } from '../../support/local-server.js';

/**
 * The README's "Five-minute walk-through", run as written: `npm start` (the Nest CLI, a real
 * process on a free port), every command of its console blocks, the plugin it has you write,
 * the remote inventory process; each output compared with the one the README shows, generated
 * values masked. The commands run in a copy of the repository (node_modules linked), so the
 * plugin they write, the data file and the edited build stay out of the checkout.
 */

const root = process.cwd();
const README_PORT = 'localhost:3000';
const steps = walkthroughSteps(await readFile(join(root, 'README.md'), 'utf8'), '## Five-minute walk-through');

let directory: string;
let env: NodeJS.ProcessEnv;
let port: number;
let app: ShellProcess | undefined;
let background: { shell: ShellProcess; shownLines: number } | undefined;

/** The README's commands name port 3000; this run's app listens on a free one. */
const onThisPort = (command: string) => command.split(README_PORT).join(`localhost:${port}`);
const masked = (text: string) => maskGenerated(text.trimEnd(), directory);

async function answers(): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/plugins`)).status === 200;
  } catch {
    return false;
  }
}

async function run(step: WalkthroughStep): Promise<void> {
  const shell = { cwd: directory, env };
  switch (step.kind) {
    case 'start':
      app = new ShellProcess(onThisPort(step.command), shell);
      await app.until('answer on GET /plugins', answers);
      return;
    case 'stop':
      await app!.interrupt();
      app = undefined;
      return;
    case 'log':
      await app!.until(`"${step.text}" in the app's output`, () => app!.output.includes(step.text), 10_000);
      return;
    case 'run': {
      const { code, output } = await runToEnd(onThisPort(step.command), shell);
      expect({ command: step.command, code, output }).toEqual({ command: step.command, code: 0, output: expect.any(String) });
      return;
    }
    case 'fails': {
      const { code, output } = await runToEnd(onThisPort(step.command), shell);
      expect(code).not.toBe(0);
      for (const line of step.output.split('\n')) expect(masked(output)).toContain(masked(line));
      return;
    }
    case 'commands':
      for (const { command, output } of step.commands) {
        const result = await runToEnd(onThisPort(command), shell);
        expect({ command, output: masked(result.output) }).toEqual({ command, output: masked(output) });
      }
      return;
    case 'output': {
      const result = await runToEnd(onThisPort(step.command), shell);
      expect({ command: step.command, output: masked(result.output) }).toEqual({ command: step.command, output: masked(step.output) });
      return;
    }
    case 'background': {
      const shownLines = step.output.split('\n').length;
      const started = new ShellProcess(onThisPort(step.command), shell);
      background = { shell: started, shownLines };
      await started.until(`${shownLines} lines of output`, () => started.output.trimEnd().split('\n').length >= shownLines);
      // a heartbeat may follow before this looks: the shown lines are the first ones
      expect(masked(started.output.split('\n').slice(0, shownLines).join('\n'))).toBe(masked(step.output));
      return;
    }
    case 'interrupt': {
      const { shell: started, shownLines } = background!;
      // the README shows a heartbeat round: wait for one before Ctrl+C
      const beats = step.output.split('\n').filter((line) => line.includes('heartbeat'));
      await started.until('a heartbeat round', () => beats.every((line) => started.output.includes(line)), 10_000);
      expect(await started.interrupt()).toBe(0);
      background = undefined;
      const since = started.output.trimEnd().split('\n').slice(shownLines).join('\n');
      expect(heartbeatsLast(masked(since))).toBe(heartbeatsLast(masked(step.output)));
      return;
    }
  }
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'nestjs-plugins-readme-'));
  for (const entry of ['package.json', '.swcrc', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json', 'lib', 'sample', 'plugins']) {
    await cp(join(root, entry), join(directory, entry), { recursive: true, filter: (source) => !source.startsWith(join(root, 'plugins', 'packages')) });
  }
  await symlink(await realpath(join(root, 'node_modules')), join(directory, 'node_modules'));
  port = await freePort();
  const inventoryPort = await freePort();
  // what a reader sets for another port (the README says so); heartbeats every second, not ten
  env = { ...process.env, PORT: String(port), HOST_URL: `http://localhost:${port}`, INVENTORY_PORT: String(inventoryPort), HEARTBEAT_MS: '1000', NO_COLOR: '1' };
  delete env.FORCE_COLOR;
});

afterAll(async () => {
  await background?.shell.interrupt();
  await app?.interrupt();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

describe('the README walk-through, run against the sample', () => {
  it('has steps to run', () => {
    expect(steps.length).toBeGreaterThan(10);
  });

  it.each(steps.map((step) => [`README line ${step.line}: ${step.kind}`, step] as const))('%s', async (_name, step) => {
    await run(step);
  }, 120_000);
});
