import 'reflect-metadata';
import { Controller, Get, Param, ParseIntPipe, UseGuards, type CanActivate, type INestApplication } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { InjectPluginContext, Plugin, PluginCallContext, PluginManager, PluginModule, type PluginContext } from 'nestjs-plugins';
import { bootApp } from '../support/boot-app.js';
import { PluginFiles } from './plugin-files.js';

class DenyGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Controller('laps')
class LapsController {
  constructor(@InjectPluginContext() private readonly ctx: PluginContext) {}

  @Get(':lap')
  lap(@Param('lap', ParseIntPipe) lap: number) {
    return { lap, plugin: this.ctx.plugin.name };
  }

  /** Who the handler runs as, and for which tenant: the work of PluginModule's global interceptors. */
  @Get('who/am-i')
  who() {
    return { acting: PluginCallContext.actingPluginId(), tenant: PluginCallContext.tenantId() };
  }

  @Get('secret/door')
  @UseGuards(DenyGuard)
  secret() {
    return { opened: true };
  }
}

@Plugin({ name: 'stopwatch', version: '1.0.0', controllers: [LapsController] })
class StopwatchPlugin {}

/** A plugin file whose controller answers `{ version, calls }` at GET /plugins/clock/time, `calls` counted per instance. */
function clockSource(version: string): string {
  return `import { Controller, Get } from '@nestjs/common';
import { Plugin } from 'nestjs-plugins';
class TimeController {
  calls = 0;
  now() { return { version: ${JSON.stringify(version)}, calls: ++this.calls }; }
}
Get()(TimeController.prototype, 'now', Object.getOwnPropertyDescriptor(TimeController.prototype, 'now'));
Controller('time')(TimeController);
class ClockPlugin {}
Plugin({ name: 'clock', version: ${JSON.stringify(version)}, controllers: [TimeController] })(ClockPlugin);
export default ClockPlugin;
`;
}

describe('controllers of plugins loaded at runtime', () => {
  let app: INestApplication | undefined;
  let files: PluginFiles | undefined;

  afterEach(async () => {
    await app?.close();
    await files?.remove();
    app = undefined;
    files = undefined;
  });

  it('serves them with Nest pipes, guards and global interceptors (acting plugin, tenant), and answers 404 once the plugin is unloaded', async () => {
    app = await bootApp([PluginModule.forRoot({})]);
    const server = app.getHttpServer();
    const manager = app.get(PluginManager);

    await request(server).get('/plugins/stopwatch/laps/3').expect(404);
    await manager.load(StopwatchPlugin);
    await request(server).get('/plugins/stopwatch/laps/3').expect(200, { lap: 3, plugin: 'stopwatch' });
    const badInput = await request(server).get('/plugins/stopwatch/laps/three').expect(400);
    expect(badInput.body.message).toBe('Validation failed (numeric string is expected)');
    await request(server).get('/plugins/stopwatch/laps/secret/door').expect(403);
    await request(server).get('/plugins/stopwatch/laps/who/am-i').set('X-Tenant-ID', 't1').expect(200, { acting: 'stopwatch', tenant: 't1' });

    await manager.unload('stopwatch');
    const gone = await request(server).get('/plugins/stopwatch/laps/3').expect(404);
    expect(gone.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /plugins/stopwatch/laps/3' });
  });

  it('serves the new code after an upgrade, fresh instances after a reload, and again after a load following an unload', async () => {
    files = await PluginFiles.create();
    const first = await files.writeRaw('clock.plugin.js', clockSource('1.0.0'));
    // Another file: Jest's module registry would hand back the first text for the same path.
    const next = await files.writeRaw('clock-next.plugin.js', clockSource('1.1.0'));
    app = await bootApp([PluginModule.forRoot({})]);
    const server = app.getHttpServer();
    const manager = app.get(PluginManager);

    await manager.load(first);
    await request(server).get('/plugins/clock/time').expect(200, { version: '1.0.0', calls: 1 });
    await manager.upgrade('clock', next);
    await request(server).get('/plugins/clock/time').expect(200, { version: '1.1.0', calls: 1 });
    await request(server).get('/plugins/clock/time').expect(200, { version: '1.1.0', calls: 2 });
    await manager.reload('clock');
    await request(server).get('/plugins/clock/time').expect(200, { version: '1.1.0', calls: 1 });

    await manager.unload('clock');
    await request(server).get('/plugins/clock/time').expect(404);
    await manager.load(next);
    await request(server).get('/plugins/clock/time').expect(200, { version: '1.1.0', calls: 1 });
  });

  it('mounts them under the global prefix, as Nest mounts a boot-time plugin', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }), PluginModule.forRoot({})],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.setGlobalPrefix('api');
    await app.init();
    const server = app.getHttpServer();

    await app.get(PluginManager).load(StopwatchPlugin);
    await request(server).get('/api/plugins/stopwatch/laps/7').expect(200, { lap: 7, plugin: 'stopwatch' });
    await request(server).get('/plugins/stopwatch/laps/7').expect(404);
  });
});
