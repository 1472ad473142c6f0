import { spawn } from 'node:child_process';
import { compiledLibrary, loadCompiledLibrary } from '../isolation/support/isolation-harness.js';
import { startNatsServer } from '../../support/nats-server.js';

// Decided before `describe`, so a machine without nats-server shows a skipped suite that says why.
const jetstreamServer = await startNatsServer({ jetstream: true });
const describeWithNats = jetstreamServer === undefined ? describe.skip : describe;
const suiteName =
  jetstreamServer === undefined
    ? 'a host that closes its NATS connection (skipped: no NATS_URL and no nats-server binary; .ci/run installs it)'
    : 'a host that closes its NATS connection while durable subscribers are active';

const EXIT_BUDGET_MS = 15_000;

/**
 * A process whose only work is a durable subscription, then closing the connection the host
 * passed in without unsubscribing (a host that shuts NATS down before, or without, closing Nest).
 * Nothing else holds its event loop: it must end by itself.
 */
function hostScript(natsUrl: string): string {
  return [
    "import { connect } from 'nats';",
    `const { NatsTopicTransport } = await import(${JSON.stringify(compiledLibrary('subpaths/nats.js'))});`,
    `const connection = await connect({ servers: ${JSON.stringify(natsUrl)} });`,
    'const transport = new NatsTopicTransport(connection);',
    "await transport.subscribeDurable('closing.orders', 'shop', async () => {});",
    "await transport.subscribe('closing.plain', () => {});",
    'await connection.close();',
    "process.stdout.write('closed');",
  ].join('\n');
}

describeWithNats(suiteName, () => {
  beforeAll(async () => {
    await loadCompiledLibrary();
  }, 180_000);

  afterAll(async () => {
    await jetstreamServer?.stop();
  });

  it('lets the process exit: no consumer timer outlives the connection', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '--eval', hostScript(jetstreamServer!.url)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const outcome = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running');
      }, EXIT_BUDGET_MS);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(`exit ${code}`);
      });
    });
    expect({ outcome, output }).toEqual({ outcome: 'exit 0', output: 'closed' });
  }, 60_000);
});
