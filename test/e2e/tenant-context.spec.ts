import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { Controller, Get, Injectable, NotFoundException, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import {
  Expose,
  InjectPluginContext,
  OnPluginEvent,
  Plugin,
  PluginCallContext,
  PluginModule,
  PluginRegistry,
  type PluginCallContextData,
  type PluginContext,
  type PluginModuleOptions,
} from 'nestjs-plugins';
import { bootApp } from './support/boot-app.js';
import { seededRandom } from '../support/seeded-random.js';

/** Tenants seen by an event listener, in arrival order. */
const heardTenants: (string | undefined)[] = [];
/** Tenants of the requests a plugin route handled, in arrival order. */
const visits: (string | undefined)[] = [];

@Injectable()
class TenantEcho {
  constructor(@InjectPluginContext() private readonly ctx: PluginContext) {}

  @Expose()
  async whoAmI(delayMs: number): Promise<PluginCallContextData> {
    await sleep(delayMs);
    this.ctx.eventBus.emit('probe:seen', delayMs);
    return PluginCallContext.current();
  }
}

@Plugin({ name: 'tenant-echo', version: '1.0.0', providers: [TenantEcho] })
class TenantEchoPlugin {
  onPluginInit(ctx: PluginContext): void {
    ctx.http.registerRoutes((router) => {
      router.get('/tenant', (_req, res) => res.json(PluginCallContext.current()));
      router.post('/visits', (_req, res) => {
        visits.push(PluginCallContext.tenantId());
        res.json(PluginCallContext.current());
      });
    });
  }
}

@Injectable()
class TenantListener {
  @OnPluginEvent('probe:seen')
  heard(): void {
    heardTenants.push(PluginCallContext.current().tenantId);
  }
}

@Plugin({ name: 'tenant-listener', version: '1.0.0', providers: [TenantListener] })
class TenantListenerPlugin {}

@Controller('whoami')
class WhoAmIController {
  constructor(private readonly registry: PluginRegistry) {}

  @Get()
  whoAmI(): Promise<PluginCallContextData> {
    return this.registry.call('tenant-echo', 'whoAmI', 0) as Promise<PluginCallContextData>;
  }

  @Get('slow')
  async slow(): Promise<PluginCallContextData> {
    // A random delay before and inside the call, so concurrent requests interleave.
    await sleep(Math.floor(Math.random() * 5));
    return this.registry.call('tenant-echo', 'whoAmI', Math.floor(Math.random() * 5)) as Promise<PluginCallContextData>;
  }
}

describe('tenant context from HTTP requests', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    heardTenants.length = 0;
    visits.length = 0;
  });

  async function boot(options: PluginModuleOptions = {}): Promise<INestApplication> {
    app = await bootApp([PluginModule.forRoot({ plugins: [TenantEchoPlugin, TenantListenerPlugin], ...options })], [WhoAmIController]);
    return app;
  }

  it('runs a request in the tenant of its X-Tenant-Slug header, across awaits, into calls and event listeners', async () => {
    const started = await boot();
    await request(started.getHttpServer()).get('/whoami').set('X-Tenant-Slug', 'acme').expect(200, { tenantId: 'acme', tenantSlug: 'acme' });
    await request(started.getHttpServer()).get('/whoami').set('X-Tenant-ID', 'tenant-42').expect(200, { tenantId: 'tenant-42' });
    await request(started.getHttpServer()).get('/whoami').expect(200, {});
    expect(heardTenants).toEqual(['acme', 'tenant-42', undefined]);
  });

  describe('one tenant per request', () => {
    const conflict = {
      statusCode: 400,
      code: 'PLUGIN_TENANT_CONFLICT',
      message: 'X-Tenant-ID and x-tenant-slug name different tenants: send one of them, or both for the same tenant',
    };

    it('answers 400, before any handler runs, when X-Tenant-ID and X-Tenant-Slug differ and no resolver maps one to the other', async () => {
      const server = (await boot()).getHttpServer();
      await request(server).get('/whoami').set('X-Tenant-Slug', 'acme').set('X-Tenant-ID', 'tenant-42').expect(400, conflict);
      await request(server).post('/plugins/tenant-echo/visits').set('X-Tenant-Slug', 'acme').set('X-Tenant-ID', 'tenant-42').expect(400, conflict);
      expect(heardTenants).toEqual([]);
      expect(visits).toEqual([]);

      await request(server).get('/whoami').set('X-Tenant-Slug', 'acme').set('X-Tenant-ID', 'acme').expect(200, { tenantId: 'acme', tenantSlug: 'acme' });
      await request(server).post('/plugins/tenant-echo/visits').set('X-Tenant-Slug', 'acme').set('X-Tenant-ID', 'acme').expect(200);
      expect(visits).toEqual(['acme']);
    });

    it('resolves slugs with resolveTenantId: a slug and its id are one tenant, anything else a 400', async () => {
      const server = (await boot({ resolveTenantId: (slug) => ({ acme: 'tenant-42' })[slug] })).getHttpServer();
      await request(server).get('/whoami').set('X-Tenant-Slug', 'acme').set('X-Tenant-ID', 'tenant-42').expect(200, { tenantId: 'tenant-42', tenantSlug: 'acme' });
      await request(server).get('/whoami').set('X-Tenant-Slug', 'acme').expect(200, { tenantId: 'tenant-42', tenantSlug: 'acme' });
      await request(server).post('/plugins/tenant-echo/visits').set('X-Tenant-Slug', 'acme').expect(200);
      await request(server).get('/whoami').set('X-Tenant-Slug', 'acme').set('X-Tenant-ID', 'acme').expect(400, conflict);
      await request(server).post('/plugins/tenant-echo/visits').set('X-Tenant-Slug', 'acme').set('X-Tenant-ID', 'tenant-7').expect(400, conflict);
      // A slug the resolver does not map names the tenant of that id, as without a resolver.
      await request(server).get('/whoami').set('X-Tenant-Slug', 'globex').expect(200, { tenantId: 'globex', tenantSlug: 'globex' });
      expect(heardTenants).toEqual(['tenant-42', 'tenant-42', 'globex']);
      expect(visits).toEqual(['tenant-42']);
    });

    it('passes on what an async resolver throws, so a host can refuse unknown slugs', async () => {
      const resolveTenantId = async (slug: string): Promise<string> => {
        if (slug !== 'acme') throw new NotFoundException(`No tenant "${slug}"`);
        return 'tenant-42';
      };
      const server = (await boot({ resolveTenantId })).getHttpServer();
      await request(server).get('/whoami').set('X-Tenant-Slug', 'acme').expect(200, { tenantId: 'tenant-42', tenantSlug: 'acme' });
      await request(server).post('/plugins/tenant-echo/visits').set('X-Tenant-Slug', 'acme').set('X-Tenant-ID', 'tenant-42').expect(200);
      await request(server).post('/plugins/tenant-echo/visits').set('X-Tenant-Slug', 'acme').set('X-Tenant-ID', 'tenant-7').expect(400, conflict);
      await request(server).get('/whoami').set('X-Tenant-Slug', 'initech').expect(404);
      await request(server).post('/plugins/tenant-echo/visits').set('X-Tenant-Slug', 'initech').expect(404);
      expect(heardTenants).toEqual(['tenant-42']);
      expect(visits).toEqual(['tenant-42']);
    });
  });

  it('never lets one request see another tenant: 500 concurrent requests across 10 tenants', async () => {
    const started = await boot();
    const random = seededRandom(7);
    const tenants = Array.from({ length: 500 }, () => `tenant-${Math.floor(random() * 10)}`);
    const server = started.getHttpServer();
    const responses = await Promise.all(tenants.map((tenant) => request(server).get('/whoami/slow').set('X-Tenant-Slug', tenant)));
    expect(responses.map((response) => response.body.tenantId)).toEqual(tenants);
    expect(new Set(tenants).size).toBe(10);
  });

  it('sets the tenant for plugin routes registered with ctx.http', async () => {
    const started = await boot();
    await request(started.getHttpServer()).get('/plugins/tenant-echo/tenant').set('X-Tenant-Slug', 'globex').expect(200, { tenantId: 'globex', tenantSlug: 'globex' });
  });

  it('reads the header configured with tenantHeader, or none with false', async () => {
    const custom = await boot({ tenantHeader: 'X-Org' });
    await request(custom.getHttpServer()).get('/whoami').set('X-Org', 'initech').expect(200, { tenantId: 'initech', tenantSlug: 'initech' });
    await request(custom.getHttpServer()).get('/whoami').set('X-Tenant-Slug', 'acme').expect(200, {});
    await custom.close();

    const off = await boot({ tenantHeader: false });
    await request(off.getHttpServer()).get('/whoami').set('X-Tenant-Slug', 'acme').expect(200, {});
    await request(off.getHttpServer()).get('/whoami').set('X-Tenant-Slug', 'acme').set('X-Tenant-ID', 'tenant-42').expect(200, {});
  });
});
