import 'reflect-metadata';
import { Inject, Injectable, Module, type INestApplication } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import {
  ContextInvalidatedError,
  Expose,
  InjectPluginContext,
  Plugin,
  PluginCallContext,
  PluginModule,
  PluginRegistry,
  type PluginContext,
} from 'nestjs-plugins';
import { bootApp } from './support/boot-app.js';

@Injectable()
class CallerProbe {
  @Expose()
  async whoCalls(): Promise<ReturnType<typeof PluginCallContext.current>> {
    await new Promise((resolve) => setTimeout(resolve, 1)); // the context must survive await
    return PluginCallContext.current();
  }
}

@Plugin({ name: 'score-utils', version: '1.2.0', providers: [CallerProbe] })
class UserUtilsPlugin {
  @Expose()
  getScore(): number {
    return 42;
  }
}

@Injectable()
class LeaderboardService {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

@Injectable()
class PropertyInjected {
  @InjectPluginContext() readonly ctx!: PluginContext;
}

abstract class AuditBase {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}
@Injectable()
class Audit extends AuditBase {}
const AUDIT = 'AUDIT';

@Plugin({
  name: 'ranking',
  version: '1.0.0',
  dependencies: [{ name: 'score-utils', version: '^1.0.0' }, { name: 'telemetry', optional: true }],
  providers: [LeaderboardService, PropertyInjected, { provide: AUDIT, useClass: Audit }],
})
class LeaderboardPlugin {
  initContext?: PluginContext;
  constructor(
    readonly service: LeaderboardService,
    readonly property: PropertyInjected,
    @Inject(AUDIT) readonly audit: Audit,
    @InjectPluginContext() readonly injected: PluginContext,
  ) {}
  onPluginInit(ctx: PluginContext) {
    this.initContext = ctx;
  }
}

@Injectable()
class HostListener {
  readonly received: unknown[] = [];
  @OnEvent('user:created')
  onUserCreated(payload: unknown) {
    this.received.push(payload);
  }
}
@Module({ providers: [HostListener] })
class HostModule {}

describe('PluginContext', () => {
  let app: INestApplication;
  let leaderboard: LeaderboardPlugin;
  let ctx: PluginContext;

  beforeEach(async () => {
    app = await bootApp([HostModule, PluginModule.forRoot({ plugins: [LeaderboardPlugin, UserUtilsPlugin] })]);
    leaderboard = app.get(LeaderboardPlugin);
    ctx = leaderboard.initContext!;
  });
  afterEach(() => app.close());

  it('is one object per plugin: passed to onPluginInit and injected into any provider of the module', () => {
    expect(leaderboard.injected).toBe(ctx);
    expect(leaderboard.service.ctx).toBe(ctx);
    expect(leaderboard.property.ctx).toBe(ctx); // property injection
    expect(leaderboard.audit.ctx).toBe(ctx); // inherited constructor, useClass provider
    expect(ctx.plugin.name).toBe('ranking');
    expect(ctx.valid).toBe(true);
  });

  it('calls declared dependencies and refuses undeclared ones', () => {
    expect(ctx.call('score-utils', 'getScore')).toBe(42);
    expect(() => ctx.call('telemetry', 'track')).toThrow('Plugin "telemetry" is not active');
    expect(() => ctx.call('payments', 'charge')).toThrow('Plugin "ranking" did not declare a dependency on "payments"');
    expect(() => ctx.getDependency('payments')).toThrow('Plugin "ranking" did not declare a dependency on "payments"');
  });

  it('gives dependency handles; an absent optional dependency is undefined', () => {
    expect(ctx.getDependency('score-utils')?.getScore()).toBe(42);
    expect(ctx.getDependency('telemetry')).toBeUndefined();
    expect([...ctx.getDependencies().keys()]).toEqual(['score-utils']);
  });

  it('tells the callee who called and for which tenant, across await', async () => {
    await expect(ctx.call('score-utils', 'whoCalls')).resolves.toEqual({ callerPluginId: 'ranking' });
    const viaHandle = ctx.getDependency('score-utils')!;
    await expect(PluginCallContext.run({ tenantId: 'acme' }, () => viaHandle.whoCalls())).resolves.toEqual({
      callerPluginId: 'ranking',
      tenantId: 'acme',
    });
    // Concurrent calls for different tenants each see their own.
    const tenants = ['t1', 't2', 't3', 't4'];
    const seen = await Promise.all(tenants.map((tenantId) => PluginCallContext.run({ tenantId }, () => ctx.call('score-utils', 'whoCalls'))));
    expect(seen.map((context) => (context as { tenantId: string }).tenantId)).toEqual(tenants);
    // Host code calling through the registry is no plugin.
    await expect(app.get(PluginRegistry).call('score-utils', 'whoCalls')).resolves.toEqual({});
  });

  it('rides on the application EventEmitter2 both ways, with wildcards, once and off', () => {
    const emitter = app.get(EventEmitter2);
    ctx.eventBus.emit('user:created', { id: 'u1' });
    expect(app.get(HostListener).received).toEqual([{ id: 'u1' }]);

    const data: unknown[] = [];
    const onData = (payload: unknown) => data.push(payload);
    const once: unknown[] = [];
    ctx.eventBus.on('data:*', onData).once('task:started', (payload: unknown) => once.push(payload));
    emitter.emit('data:saved', 1);
    emitter.emit('data:deleted', 2);
    emitter.emit('task:started', 'a');
    emitter.emit('task:started', 'b');
    ctx.eventBus.off('data:*', onData);
    emitter.emit('data:saved', 3);
    expect(data).toEqual([1, 2]);
    expect(once).toEqual(['a']);
  });

  it('is invalid after shutdown: listeners gone, every member throws', async () => {
    const emitter = app.get(EventEmitter2);
    const before = emitter.listenerCount('news:*');
    ctx.eventBus.on('news:*', () => undefined);
    ctx.eventBus.on('news:*', () => undefined);
    expect(emitter.listenerCount('news:*')).toBe(before + 2);
    const eventBus = ctx.eventBus;

    await app.close();
    expect(ctx.valid).toBe(false);
    expect(emitter.listenerCount('news:*')).toBe(before);
    const invalidated = new ContextInvalidatedError('ranking');
    expect(invalidated.message).toBe('Context of plugin "ranking" is no longer valid (plugin was unloaded)');
    expect(() => ctx.plugin).toThrow(invalidated);
    expect(() => ctx.logger).toThrow(invalidated);
    expect(() => ctx.eventBus).toThrow(invalidated);
    expect(() => eventBus.emit('news:x')).toThrow(invalidated);
    expect(() => eventBus.on('news:x', () => undefined)).toThrow(invalidated);
    expect(() => ctx.call('score-utils', 'getScore')).toThrow(invalidated);
    expect(() => ctx.getDependency('score-utils')).toThrow(invalidated);
    expect(() => ctx.getDependencies()).toThrow(invalidated);
    app = await bootApp([]); // afterEach closes something
  });
});

describe('PluginModule without EventEmitterModule', () => {
  it('still gives plugins a working event bus', async () => {
    const { Test } = await import('@nestjs/testing');
    const moduleRef = await Test.createTestingModule({ imports: [PluginModule.forRoot({ plugins: [LeaderboardPlugin, UserUtilsPlugin] })] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const ctx = app.get(LeaderboardPlugin).initContext!;
    const got: unknown[] = [];
    ctx.eventBus.on('a:*', (value: unknown) => got.push(value));
    ctx.eventBus.emit('a:b', 1);
    expect(got).toEqual([1]);
    await app.close();
  });
});
