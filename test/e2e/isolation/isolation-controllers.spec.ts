import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { compiledFixture, loadCompiledLibrary, type CompiledLibrary } from './support/isolation-harness.js';

/**
 * Nest controllers of a plugin loaded at runtime: served inline; refused, naming the plugin and
 * pointing to ctx.http, in a thread or a process, whose guest has no HTTP server. Never a silent 404.
 */
describe.each(['inline', 'thread', 'process'] as const)('controllers of a plugin loaded at runtime in mode %s', (mode) => {
  let lib: CompiledLibrary;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    lib = await loadCompiledLibrary();
  }, 90_000);

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }), lib.PluginModule.forRoot({ isolation: { 'iso-routed': mode } })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  if (mode === 'inline') {
    it('serves the controller and the ctx.http route, and neither once unloaded', async () => {
      const server = app!.getHttpServer();
      await app!.get(lib.PluginManager).load(compiledFixture('routed/routed.plugin.js'));
      await request(server).get('/plugins/iso-routed/hello').expect(200, { from: 'controller' });
      await request(server).get('/plugins/iso-routed/ping').expect(200, { from: 'ctx.http' });
      await app!.get(lib.PluginManager).unload('iso-routed');
      await request(server).get('/plugins/iso-routed/hello').expect(404);
      await request(server).get('/plugins/iso-routed/ping').expect(404);
    });
  } else {
    it('refuses the load, naming the plugin and its controllers and pointing to ctx.http; nothing stays registered', async () => {
      const load = app!.get(lib.PluginManager).load(compiledFixture('routed/routed.plugin.js'));
      await expect(load).rejects.toThrow(
        `Plugin "iso-routed" declares Nest controllers (HelloController), which an isolated ('${mode}') plugin cannot serve: ` +
          'register its routes with ctx.http.registerRoutes() instead, or run it inline',
      );
      expect(app!.get(lib.PluginRegistry).list().map(({ name }) => name)).toEqual([]);
      await request(app!.getHttpServer()).get('/plugins/iso-routed/ping').expect(404);
    }, 60_000);

    it('fails boot with the same message', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }),
          lib.PluginModule.forRoot({ pluginsDir: compiledFixture('routed'), isolation: { 'iso-routed': mode } }),
        ],
      }).compile();
      const booting = moduleRef.createNestApplication({ logger: false, abortOnError: false });
      await expect(booting.init()).rejects.toThrow(`Plugin "iso-routed" declares Nest controllers (HelloController), which an isolated ('${mode}') plugin cannot serve`);
      await booting.close().catch(() => undefined);
    }, 60_000);
  }
});
