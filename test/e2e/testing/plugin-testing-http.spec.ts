import 'reflect-metadata';
import { Body, Controller, Injectable, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { InjectPluginContext, Plugin, type OnPluginInit, type PluginContext } from 'nestjs-plugins';
import { createPluginTestingModule, type PluginHttpTestingModule } from 'nestjs-plugins/testing';
import { GreeterPlugin } from '../../support/greeter.plugin.js';

@Plugin({ name: 'scores', version: '1.0.0' })
class ScoresPlugin implements OnPluginInit {
  onPluginInit(ctx: PluginContext): void {
    ctx.http.registerRoutes((router) => router.get('/score/:userId', (req, res) => res.json({ userId: req.params.userId, score: 42 })));
  }
}

@Controller('echo')
class EchoController {
  constructor(@InjectPluginContext() private readonly ctx: PluginContext) {}

  @Post()
  echo(@Body() body: unknown) {
    return { plugin: this.ctx.plugin.name, body };
  }
}

@Plugin({ name: 'echoer', version: '1.0.0', controllers: [EchoController] })
class EchoerPlugin {}

@Plugin({ name: 'fails-late', version: '1.0.0' })
class FailsLatePlugin implements OnPluginInit {
  onPluginInit(ctx: PluginContext): void {
    ctx.http.registerRoutes((router) => router.get('/never', (_req, res) => res.end()));
    throw new Error('cannot start');
  }
}

/** Keeps the test application's DataSource, to see whether it was destroyed. */
@Injectable()
class DataSourceSpy {
  static seen?: DataSource;

  constructor(dataSource: DataSource) {
    DataSourceSpy.seen = dataSource;
  }
}

/** Loopback servers and sockets of this process: what a kit that failed to start must not leave behind. */
function openNetworkHandles(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource.startsWith('TCP')).length;
}

describe('createPluginTestingModule({ http: true })', () => {
  let kit: PluginHttpTestingModule | undefined;

  afterEach(async () => {
    await kit?.close();
    kit = undefined;
  });

  it('boots a plugin with ctx.http routes on a loopback port, where tests call them', async () => {
    kit = await createPluginTestingModule({ plugins: [ScoresPlugin], database: false, http: true });
    expect(kit.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const response = await fetch(`${kit.url}/plugins/scores/score/alice`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ userId: 'alice', score: 42 });
    await request(kit.httpServer).get('/plugins/scores/nothing').expect(404);
  });

  it("serves a boot plugin's controllers and those of a plugin loaded at runtime", async () => {
    kit = await createPluginTestingModule({ plugins: [GreeterPlugin], database: false, http: true });
    await request(kit.httpServer).get('/plugins/greeter/greeting').expect(200, { hello: 'world' });

    await kit.manager.load(EchoerPlugin);
    await request(kit.httpServer).post('/plugins/echoer/echo').send({ n: 1 }).expect(201, { plugin: 'echoer', body: { n: 1 } });
  });

  it('closes the port once closed', async () => {
    kit = await createPluginTestingModule({ plugins: [ScoresPlugin], database: false, http: true });
    const { url } = kit;
    await kit.close();
    kit = undefined;
    await expect(fetch(`${url}/plugins/scores/score/alice`)).rejects.toThrow();
  });

  it('rejects a failed start and leaves nothing open: no server, no database', async () => {
    const before = openNetworkHandles();
    const kitFor = createPluginTestingModule({ plugins: [FailsLatePlugin], providers: [DataSourceSpy], http: true });
    await expect(kitFor).rejects.toThrow('Plugin "fails-late" failed in onPluginInit: cannot start');
    expect(openNetworkHandles()).toBe(before);
    expect(DataSourceSpy.seen?.isInitialized).toBe(false);
  });

  it('loads a plugin with controllers in an application context without HTTP, as boot does, with nothing to serve them on', async () => {
    const context = await createPluginTestingModule({ plugins: [], database: false });
    try {
      await expect(context.manager.load(EchoerPlugin)).resolves.toMatchObject({ name: 'echoer', state: 'active' });
    } finally {
      await context.close();
    }
  });

  it('keeps an application context without HTTP by default, where ctx.http is refused', async () => {
    await expect(createPluginTestingModule({ plugins: [ScoresPlugin], database: false })).rejects.toThrow(
      'Plugin "scores" cannot register HTTP routes: the application has no HTTP server',
    );
  });
});
