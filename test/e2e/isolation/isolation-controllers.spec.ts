import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { threadId } from 'node:worker_threads';
import request from 'supertest';
import { compiledFixture, loadCompiledLibrary, waitUntil, type CompiledLibrary } from './support/isolation-harness.js';

/**
 * Nest controllers of a plugin loaded at runtime: served inline; in a thread or a process,
 * served by the guest's own Nest application, each request forwarded by the host. Never a silent 404.
 */
describe.each(['inline', 'thread', 'process'] as const)('controllers of a plugin loaded at runtime in mode %s', (mode) => {
  let lib: CompiledLibrary;
  let app: NestExpressApplication | undefined;

  beforeAll(async () => {
    lib = await loadCompiledLibrary();
  }, 90_000);

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }),
        lib.PluginModule.forRoot({ isolation: { 'iso-routed': mode, 'iso-streaming': mode } }),
      ],
    }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    app.setGlobalPrefix('api');
    // Above the proxy's 1 MiB cap, so that the cap is what answers.
    app.useBodyParser('json', { limit: '5mb' });
    await app.init();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('serves the controllers (params, query, headers, JSON body, guards, pipes, interceptors, errors) and the ctx.http route, and neither once unloaded', async () => {
    const server = app!.getHttpServer();
    await app!.get(lib.PluginManager).load(compiledFixture('routed/routed.plugin.js'));
    await request(server).get('/api/plugins/iso-routed/hello').expect(200, { from: 'controller' });
    await request(server).get('/plugins/iso-routed/ping').expect(200, { from: 'ctx.http' });
    // The request's tenant reaches the controller and the route's handler, wherever they run.
    await request(server).get('/api/plugins/iso-routed/items/tenant/current').set('x-tenant-slug', 'acme').expect(200, { data: { tenant: 'acme' } });
    await request(server).get('/api/plugins/iso-routed/items/tenant/current').expect(200, { data: { tenant: null } });
    await request(server).get('/plugins/iso-routed/route/tenant').set('x-tenant-slug', 'acme').expect(200, { tenant: 'acme' });
    await request(server).get('/plugins/iso-routed/route/tenant').expect(200, { tenant: null });
    const where = await request(server).get('/api/plugins/iso-routed/items/where').expect(200);
    expect(where.body.data.plugin).toBe('iso-routed');
    // Where the controller ran: the host's own process and thread only inline.
    expect(mode === 'process' ? where.body.data.pid !== process.pid : where.body.data.pid === process.pid).toBe(true);
    expect(mode === 'thread' ? where.body.data.threadId !== threadId : where.body.data.threadId === threadId).toBe(true);

    const item = await request(server).get('/api/plugins/iso-routed/items/7?q=blue').set('x-tag', 'red').expect(200);
    expect(item.body).toEqual({ data: { id: 7, q: 'blue', tag: 'red' } });
    expect(item.headers['x-intercepted']).toBe('yes');
    expect(item.headers['content-type']).toMatch(/^application\/json/);
    await request(server)
      .post('/api/plugins/iso-routed/items')
      .send({ name: 'lamp', tags: ['a', 'b'] })
      .expect(201, { data: { created: 'lamp', tags: 2 } });
    await request(server)
      .get('/api/plugins/iso-routed/items/seven')
      .expect(400, { message: 'Validation failed (numeric string is expected)', error: 'Bad Request', statusCode: 400 });
    await request(server).get('/api/plugins/iso-routed/items/404').expect(404, { message: 'No item 404', error: 'Not Found', statusCode: 404 });
    await request(server).get('/api/plugins/iso-routed/items/guarded/yes').expect(403, { message: 'Forbidden resource', error: 'Forbidden', statusCode: 403 });
    await request(server).get('/api/plugins/iso-routed/items/guarded/yes').set('x-pass', 'yes').expect(200, { data: { passed: true } });
    await request(server).get('/api/plugins/iso-routed/items/fail/throw').expect(500, { statusCode: 500, message: 'Internal server error' });
    await request(server).get('/api/plugins/iso-routed/hello').expect(200);

    await app!.get(lib.PluginManager).unload('iso-routed');
    await request(server).get('/api/plugins/iso-routed/hello').expect(404);
    await request(server).get('/api/plugins/iso-routed/items/7').expect(404);
    await request(server).get('/plugins/iso-routed/ping').expect(404);
  }, 60_000);

  if (mode !== 'inline') {
    it('answers a hung controller 504 after callTimeoutMs, 503 while the plugin restarts, then serves again', async () => {
      const server = app!.getHttpServer();
      await app!.get(lib.PluginManager).load(compiledFixture('routed/routed.plugin.js'));
      const started = Date.now();
      await request(server)
        .get('/api/plugins/iso-routed/items/fail/hang')
        .expect(504, { message: 'Plugin "iso-routed" did not answer GET /api/plugins/iso-routed/items/fail/hang within 1500 ms', error: 'Gateway Timeout', statusCode: 504 });
      expect(Date.now() - started).toBeLessThan(10_000);
      await request(server).get('/api/plugins/iso-routed/hello').expect(503, { message: 'Plugin "iso-routed" is restarting', error: 'Service Unavailable', statusCode: 503 });
      await waitUntil(async () => (await request(server).get('/api/plugins/iso-routed/hello')).status === 200, 'the restarted guest to serve', 30_000);
    }, 60_000);

    it('caps bodies both ways: 413 for a request body over 1 MiB, 502 for an answer over it', async () => {
      const server = app!.getHttpServer();
      await app!.get(lib.PluginManager).load(compiledFixture('routed/routed.plugin.js'));
      await request(server)
        .post('/api/plugins/iso-routed/items')
        .send({ name: 'x'.repeat(1_100_000), tags: [] })
        .expect(413, { message: 'Plugin "iso-routed" accepts request bodies up to 1048576 bytes', error: 'Payload Too Large', statusCode: 413 });
      const huge = await request(server).get('/api/plugins/iso-routed/items/fail/huge').expect(502);
      expect(huge.body.message).toBe('Plugin "iso-routed" could not answer GET /api/plugins/iso-routed/items/fail/huge: its answer is larger than 1048576 bytes');
      await request(server).get('/api/plugins/iso-routed/hello').expect(200);
    }, 60_000);

    it('gives ctx.http routes the same limits: 504 for a hung handler (then a restart), 413 and 502 past 1 MiB', async () => {
      const server = app!.getHttpServer();
      await app!.get(lib.PluginManager).load(compiledFixture('routed/routed.plugin.js'));
      await request(server).post('/plugins/iso-routed/route/echo').send({ text: 'short' }).expect(200, { length: 16 });
      await request(server)
        .post('/plugins/iso-routed/route/echo')
        .send({ text: 'x'.repeat(1_100_000) })
        .expect(413, { message: 'Plugin "iso-routed" accepts request bodies up to 1048576 bytes', error: 'Payload Too Large', statusCode: 413 });
      const huge = await request(server).get('/plugins/iso-routed/route/huge').expect(502);
      expect(huge.body.message).toBe('Plugin "iso-routed" could not answer GET /route/huge: its answer is larger than 1048576 bytes');
      await request(server).get('/plugins/iso-routed/ping').expect(200);
      const started = Date.now();
      await request(server)
        .get('/plugins/iso-routed/route/hang')
        .expect(504, { message: 'Plugin "iso-routed" did not answer GET /route/hang within 1500 ms', error: 'Gateway Timeout', statusCode: 504 });
      expect(Date.now() - started).toBeLessThan(10_000);
      await request(server).get('/plugins/iso-routed/ping').expect(503, { statusCode: 503, message: 'Plugin "iso-routed" is restarting' });
      await waitUntil(async () => (await request(server).get('/plugins/iso-routed/ping')).status === 200, 'the restarted guest to serve its route', 30_000);
    }, 60_000);

    it('refuses a server-sent events route, which a proxied answer cannot stream; nothing stays registered', async () => {
      const load = app!.get(lib.PluginManager).load(compiledFixture('streaming/streaming.plugin.js'));
      await expect(load).rejects.toThrow(
        `Plugin "iso-streaming" declares server-sent events routes (TicksController.ticks), which an isolated ('${mode}') plugin cannot serve: ` +
          'its answers are proxied whole, and a stream never ends; run it inline to stream',
      );
      expect(app!.get(lib.PluginRegistry).list().map(({ name }) => name)).toEqual([]);
    }, 60_000);

    it('serves the controllers of a plugin registered at boot', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }),
          lib.PluginModule.forRoot({ pluginsDir: compiledFixture('routed'), isolation: { 'iso-routed': mode } }),
        ],
      }).compile();
      const booted = moduleRef.createNestApplication({ logger: false });
      try {
        await booted.init();
        await request(booted.getHttpServer()).get('/plugins/iso-routed/items/3?q=x').expect(200, { data: { id: 3, q: 'x' } });
      } finally {
        await booted.close();
      }
    }, 60_000);
  }
});
