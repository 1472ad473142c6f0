import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskGenerated } from './support/generated-values.js';
import { runToEnd, ShellProcess } from './support/shell-process.js';
import { walkthroughSteps, type WalkthroughStep } from './support/walkthrough-script.js';
import { freePort } from '../../support/local-server.js';

/**
 * docs/installing-plugins.md's walk-through, run as written: Verdaccio with the repository's
 * configuration, `npm publish` of plugins/packages/greeting to it, the sample started with
 * `PLUGIN_REGISTRY_URL` (`npm start`), the install, its route, its process, the refusal and the
 * uninstall over REST; each output compared with the one the guide shows, ports and the
 * tarball's integrity masked. It runs in a copy of the repository (node_modules linked), so the
 * registry's storage, the database and the installed files stay out of the checkout.
 */

const root = process.cwd();
const GUIDE_APP = 'localhost:3000';
const GUIDE_REGISTRY = '127.0.0.1:4873';
const steps = walkthroughSteps(await readFile(join(root, 'docs', 'installing-plugins.md'), 'utf8'), '## Walk-through: the sample installs `greeting` from a local registry');

let directory: string;
let env: NodeJS.ProcessEnv;
let appPort: number;
let registryPort: number;
let app: ShellProcess | undefined;
let registry: ShellProcess | undefined;

/** The guide names ports 3000 and 4873; this run's app and registry listen on free ones. */
const onThesePorts = (command: string) => command.split(GUIDE_APP).join(`localhost:${appPort}`).split(GUIDE_REGISTRY).join(`127.0.0.1:${registryPort}`);
/** The integrity is the reader's build's (the guide says so). */
const masked = (text: string) => maskGenerated(text.trimEnd(), directory).replace(/sha512-[A-Za-z0-9+/]+=*/g, '<integrity>');

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

async function run(step: WalkthroughStep): Promise<void> {
  const shell = { cwd: directory, env };
  switch (step.kind) {
    case 'serve': {
      registry = new ShellProcess(onThesePorts(step.command), shell);
      await registry.until('the registry answers', () => answers(`http://127.0.0.1:${registryPort}/-/ping`));
      const shown = step.output.split('\n').map((line) => masked(line).trim());
      await registry.until('the lines the guide shows', () => shown.every((line) => masked(registry!.output).includes(line)), 10_000);
      return;
    }
    case 'start':
      app = new ShellProcess(onThesePorts(step.command), shell);
      await app.until('answer on GET /plugins', () => answers(`http://127.0.0.1:${appPort}/plugins`));
      return;
    case 'stop':
      await app!.interrupt();
      app = undefined;
      return;
    case 'commands':
      for (const { command, output } of step.commands) {
        const result = await runToEnd(onThesePorts(command), shell);
        expect({ command, output: masked(result.output) }).toEqual({ command, output: masked(output) });
      }
      return;
    default:
      throw new Error(`docs/installing-plugins.md line ${step.line}: this runner does not know "${step.kind}"`);
  }
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'nestjs-plugins-install-guide-'));
  for (const entry of ['package.json', '.swcrc', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json', 'lib', 'sample', 'plugins']) {
    await cp(join(root, entry), join(directory, entry), { recursive: true, filter: (source) => !source.startsWith(join(root, 'plugins', 'packages', 'greeting', 'node_modules')) });
  }
  await symlink(await realpath(join(root, 'node_modules')), join(directory, 'node_modules'));
  // what `npm ci` builds (its `prepare`); a checkout may not have it yet
  if (!existsSync(join(directory, 'plugins', 'packages', 'greeting', 'dist', 'index.js'))) {
    const built = await runToEnd('npx tsc -p plugins/packages/greeting', { cwd: directory, env: process.env });
    expect(built).toEqual({ code: 0, output: '' });
  }
  [appPort, registryPort] = [await freePort(), await freePort()];
  env = { ...process.env, PORT: String(appPort), NO_COLOR: '1' };
  delete env.FORCE_COLOR;
}, 60_000);

afterAll(async () => {
  await app?.interrupt();
  await registry?.interrupt();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

describe('the "Installing plugins" walk-through, run against the sample and Verdaccio', () => {
  it('has its steps: registry, publish, start, install, refusal, uninstall, pinned install, stop', () => {
    expect(steps.map((step) => step.kind)).toEqual(['serve', 'commands', 'start', 'commands', 'commands', 'commands', 'commands', 'stop']);
  });

  it.each(steps.map((step) => [`docs/installing-plugins.md line ${step.line}: ${step.kind}`, step] as const))('%s', async (_name, step) => {
    await run(step);
  }, 90_000);
});
