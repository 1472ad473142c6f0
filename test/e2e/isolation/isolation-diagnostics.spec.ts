import 'reflect-metadata';
import { jest } from '@jest/globals';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { compiledFixture, loadCompiledLibrary, waitUntil, type CompiledLibrary } from './support/isolation-harness.js';

/**
 * Issue 20: an isolated plugin's failures read on their own. The crash line carries the guest's
 * error and stack (no host path), its output is prefixed with its name, each restart is counted
 * "n of max" and the breaker says when it gives up; `list()` shows the restart and the failure;
 * a call queued behind a hung one says it was never taken up.
 */
describe.each(['thread', 'process'] as const)('diagnostics of a plugin in mode %s', (mode) => {
  let lib: CompiledLibrary;
  let app: INestApplicationContext;
  const logs: { level: string; text: string }[] = [];
  /** `plugin:restarting` as the application's emitter carried it (the console's Activity shows these). */
  const restarts: { plugin: string; attempt: number; maxRestarts: number; reason: string; error: string }[] = [];
  /** What the host's loggers were given (message, then a stack), whatever prints it. */
  const record = (level: 'error' | 'warn') =>
    jest.spyOn(Logger.prototype, level).mockImplementation((message: unknown, ...rest: unknown[]) => void logs.push({ level, text: [message, ...rest].map(String).join('\n') }));

  beforeAll(async () => {
    lib = await loadCompiledLibrary();
    const moduleRef = await Test.createTestingModule({
      imports: [EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }), lib.PluginModule.forRoot({ pluginsDir: compiledFixture('fragile'), isolation: { 'iso-fragile': mode } })],
    }).compile();
    moduleRef.useLogger(false);
    app = await moduleRef.init();
    app.get(EventEmitter2).on('plugin:restarting', ({ error, metadata, restart }: any) => restarts.push({ plugin: metadata.name, ...restart, error: error.message }));
    record('error');
    record('warn');
  }, 60_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.close();
  });

  const registry = () => app.get(lib.PluginRegistry) as any;
  const info = () => registry().list().find((plugin: any) => plugin.name === 'iso-fragile');
  const call = (method: string, ...args: unknown[]): Promise<unknown> => Promise.resolve().then(() => registry().call('iso-fragile', method, ...args));
  const failure = (method: string, ...args: unknown[]): Promise<any> => call(method, ...args).then(() => undefined, (error: unknown) => error);
  const lines = (pattern: RegExp) => logs.filter((line) => pattern.test(line.text));
  const answersAgain = () => waitUntil(async () => (await call('ping').catch(() => undefined)) === 'pong', 'the restarted plugin', 20_000);

  it("prefixes the guest's stdout and stderr lines with its name", async () => {
    const out = jest.spyOn(process.stdout, 'write');
    const err = jest.spyOn(process.stderr, 'write');
    try {
      await call('say', `hello from ${mode}`);
      const written = (spy: typeof out) => spy.mock.calls.map(([chunk]) => String(chunk));
      await waitUntil(() => written(err).includes(`[plugin iso-fragile] err: hello from ${mode}\n`), 'the prefixed stderr line');
      expect(written(out)).toContain(`[plugin iso-fragile] out: hello from ${mode}\n`);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  it('fails a call queued behind a hung one with its own message, and counts the restart', async () => {
    const hung = failure('fault', 'loop');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const queued = failure('ping');
    expect((await hung).message).toBe('Plugin "iso-fragile" crashed: did not answer "fault" within 600 ms');
    expect(await queued).toBeInstanceOf(lib.PluginCrashedError);
    expect((await queued).message).toBe('Plugin "iso-fragile" crashed: the guest did not take up "ping": it was stuck in another call');
    expect(info()).toMatchObject({ state: 'active', restarting: { attempt: 1, maxRestarts: 3, reason: 'did not answer "fault" within 600 ms' } });
    expect(lines(/^Plugin "iso-fragile": restart 1 of 3 in \d+ ms \(crashed: did not answer "fault" within 600 ms\)$/)).toHaveLength(1);
    await answersAgain();
    expect(info().restarting).toBeUndefined();
  }, 30_000);

  it("logs the guest's uncaught error with its stack and no host path", async () => {
    await failure('fault', 'throw');
    await waitUntil(() => lines(/restart 2 of 3/).length === 1, 'the second restart');
    const [crash] = lines(/crashed: .*thrown at top level/);
    expect(crash.level).toBe('error');
    expect(crash.text).toMatch(mode === 'thread' ? /^Plugin "iso-fragile" crashed: thrown at top level\n/ : /^Plugin "iso-fragile" crashed: exited with code 1: Error: thrown at top level\n/);
    expect(crash.text).toMatch(/Error: thrown at top level\n\s+at .*faults\.js:\d+/);
    expect(crash.text).not.toContain(process.cwd());
    await answersAgain();
  }, 30_000);

  it('logs the last restart and one line when the breaker gives up, and lists the plugin failed', async () => {
    await failure('fault', 'exit');
    await waitUntil(() => lines(/restart 3 of 3/).length === 1, 'the third restart');
    await answersAgain();
    await failure('fault', 'exit');
    await waitUntil(() => info().state === 'failed', 'the failed state');
    expect(info().restarting).toBeUndefined();
    expect(lines(/restart \d of 3/)).toHaveLength(3);
    expect(restarts.map(({ plugin, attempt, maxRestarts }) => `${plugin} ${attempt} of ${maxRestarts}`)).toEqual(['iso-fragile 1 of 3', 'iso-fragile 2 of 3', 'iso-fragile 3 of 3']);
    expect(restarts[0]).toMatchObject({ reason: 'did not answer "fault" within 600 ms', error: 'Plugin "iso-fragile" crashed: did not answer "fault" within 600 ms' });
    expect(lines(/gave up/)).toEqual([
      { level: 'error', text: 'Plugin "iso-fragile" gave up: 4 crashes within 300000 ms, more than restart.maxRestarts (3); it stays failed until reloaded' },
    ]);
  }, 30_000);
});
