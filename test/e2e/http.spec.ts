import 'reflect-metadata';
import { BadRequestException, Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import {
  ContextInvalidatedError,
  Plugin,
  PluginHttpUnavailableError,
  PluginManager,
  PluginModule,
  type OnPluginInit,
  type PluginContext,
} from 'nestjs-plugins';
import { GreeterPlugin } from '../support/greeter.plugin.js';
import { PluginFiles } from './runtime/plugin-files.js';
import { bootApp } from './support/boot-app.js';

/** Registers its routes while starting, in two calls that add to the same router. */
@Plugin({ name: 'scores', version: '1.0.0' })
class ScoresPlugin implements OnPluginInit {
  onPluginInit(ctx: PluginContext) {
    ctx.http.registerRoutes((router) => {
      router.get('/score/:userId', (req, res) => {
        res.json({ userId: req.params.userId, score: 42 });
      });
      router.post('/award', (req, res) => {
        res.status(201).json({ received: req.body });
      });
    });
    ctx.http.registerRoutes((router) => {
      router.get('/refuse', () => {
        throw new BadRequestException('refused');
      });
    });
  }
}

/** Host routes at and under /plugins that belong to no plugin. */
@Controller()
class HostController {
  @Get('plugins')
  list() {
    return ['greeter'];
  }

  @Get('plugins/summary')
  summary() {
    return { plugins: 1 };
  }

  @Get('health')
  health() {
    return { status: 'ok' };
  }
}

@Module({ controllers: [HostController] })
class HostModule {}

describe('plugin HTTP routes', () => {
  let app: INestApplication | undefined;
  let files: PluginFiles | undefined;

  afterEach(async () => {
    await app?.close();
    await files?.remove();
    app = undefined;
    files = undefined;
  });

  it('serves routes a boot-time plugin registers in onPluginInit, with params and a JSON body', async () => {
    app = await bootApp([PluginModule.forRoot({ plugins: [ScoresPlugin] })]);
    const server = app.getHttpServer();

    await request(server).get('/plugins/scores/score/alice').expect(200, { userId: 'alice', score: 42 });
    await request(server).post('/plugins/scores/award').send({ userId: 'alice', points: 5 }).expect(201, { received: { userId: 'alice', points: 5 } });
    // Errors go through Nest's exception layer, unknown paths to Nest's not-found handler.
    const refused = await request(server).get('/plugins/scores/refuse').expect(400);
    expect(refused.body).toMatchObject({ statusCode: 400, message: 'refused' });
    await request(server).get('/plugins/scores/nothing-here').expect(404);
    await request(server).get('/score/alice').expect(404);
  });

  it('serves the routes of a plugin loaded at runtime until it is unloaded', async () => {
    files = await PluginFiles.create();
    const file = await files.write('stopwatch', {
      body: `onPluginInit(ctx) {
    globalThis.stopwatchContext = ctx;
    ctx.http.registerRoutes((router) => router.get('/laps/:lap', (req, res) => res.json({ lap: Number(req.params.lap) })));
  }`,
    });
    app = await bootApp([PluginModule.forRoot({})]);
    const server = app.getHttpServer();
    const manager = app.get(PluginManager);

    await manager.load(file);
    await request(server).get('/plugins/stopwatch/laps/3').expect(200, { lap: 3 });

    const ctx = (globalThis as { stopwatchContext?: PluginContext }).stopwatchContext!;
    const http = ctx.http;
    await manager.unload('stopwatch');
    await request(server).get('/plugins/stopwatch/laps/3').expect(404);
    expect(() => ctx.http).toThrow(ContextInvalidatedError);
    expect(() => http.registerRoutes(() => undefined)).toThrow(ContextInvalidatedError);
  });

  it('serves only the routes of the current start after a reload', async () => {
    let starts = 0;
    @Plugin({ name: 'versioned', version: '1.0.0' })
    class VersionedPlugin implements OnPluginInit {
      onPluginInit(ctx: PluginContext) {
        const start = ++starts;
        ctx.http.registerRoutes((router) => router.get(`/v${start}`, (_req, res) => res.json({ start })));
      }
    }
    app = await bootApp([PluginModule.forRoot({})]);
    const server = app.getHttpServer();
    const manager = app.get(PluginManager);

    await manager.load(VersionedPlugin);
    await request(server).get('/plugins/versioned/v1').expect(200, { start: 1 });
    await manager.reload('versioned');
    await request(server).get('/plugins/versioned/v2').expect(200, { start: 2 });
    await request(server).get('/plugins/versioned/v1').expect(404);
  });

  it('stops serving the controllers of a boot-time plugin once it is unloaded', async () => {
    app = await bootApp([PluginModule.forRoot({ plugins: [GreeterPlugin] })]);
    const server = app.getHttpServer();

    await request(server).get('/plugins/greeter/greeting').expect(200, { hello: 'world' });
    await app.get(PluginManager).unload('greeter');
    const response = await request(server).get('/plugins/greeter/greeting').expect(404);
    expect(response.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /plugins/greeter/greeting' });
  });

  it('leaves host routes at and under /plugins alone, also once a plugin is unloaded', async () => {
    app = await bootApp([HostModule, PluginModule.forRoot({ plugins: [GreeterPlugin, ScoresPlugin] })]);
    const server = app.getHttpServer();
    await app.get(PluginManager).unload('greeter');
    await app.get(PluginManager).unload('scores');

    await request(server).get('/plugins').expect(200, ['greeter']);
    await request(server).get('/plugins/summary').expect(200, { plugins: 1 });
    await request(server).get('/health').expect(200, { status: 'ok' });
    await request(server).get('/plugins/greeter/greeting').expect(404);
    await request(server).get('/plugins/scores/score/alice').expect(404);
  });

  it('refuses registerRoutes in an application context without HTTP, naming the plugin', async () => {
    let captured: PluginContext | undefined;
    @Plugin({ name: 'headless', version: '1.0.0' })
    class HeadlessPlugin implements OnPluginInit {
      onPluginInit(ctx: PluginContext) {
        captured = ctx;
      }
    }
    @Module({ imports: [PluginModule.forRoot({ plugins: [HeadlessPlugin] })] })
    class WorkerModule {}

    const context = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    try {
      const register = () => captured!.http.registerRoutes(() => undefined);
      expect(register).toThrow(PluginHttpUnavailableError);
      expect(register).toThrow('Plugin "headless" cannot register HTTP routes: the application has no HTTP server (is it an application context?)');
    } finally {
      await context.close();
    }
  });
});
