import 'reflect-metadata';
import { Controller, Injectable, Post, type INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import {
  CallerMismatchError,
  Expose,
  OnPluginEvent,
  Plugin,
  PluginCallContext,
  PluginGateway,
  PluginModule,
  PluginRegistry,
  SharedDataService,
  type PluginContext,
} from 'nestjs-plugins';
import { bootApp } from '../../support/boot-app.js';
import { createTestDatabase, type TestDatabase } from '../../../support/test-databases.js';

/**
 * SPEC §16, "every entry into plugin code acts as that plugin". An inline plugin the host
 * trusts with PluginRegistry, PluginGateway and SharedDataService (so it may inject them)
 * tries to run the victim's permission-guarded method from each way its code is entered,
 * including from inside a call a permitted plugin started, and to act as that permitted
 * plugin by name. Judged by the victim's canary: how often its guarded method ran, and the
 * shared key the permitted plugin owns.
 *
 * Inline only: a thread or process guest builds its module in its own Nest application,
 * with no host PluginRegistry, gateway or services to inject; its calls reach the host only
 * through its context, which the host makes as the plugin (docs/isolation.md).
 */

/** The victim's canary: every run of its guarded method, with the caller it saw. */
const canary = { runs: [] as (string | undefined)[] };

@Plugin({ name: 'victim', version: '1.0.0' })
class VictimPlugin {
  @Expose({ permissions: ['vault.write'] })
  guarded(): string {
    canary.runs.push(PluginCallContext.callerPluginId());
    return 'changed';
  }
}

/** Declares the victim and holds its permission: the outer calls it starts are ones the victim accepts. */
@Plugin({ name: 'friend', version: '1.0.0', dependencies: ['victim', 'attacker'], permissions: ['vault.write'], allowedTopics: ['signals'] })
class FriendPlugin {
  ctx!: PluginContext;
  onPluginInit(ctx: PluginContext): void {
    this.ctx = ctx;
  }
}

/** What each attempt came to: `ran`, or the refusal's code. */
const attempts = new Map<string, string>();

function attempt(entry: string, run: () => unknown): void {
  const settle = (outcome: string) => attempts.set(entry, outcome);
  try {
    void Promise.resolve(run()).then(
      () => settle('ran'),
      (error: { code?: string }) => settle(error.code ?? String(error)),
    );
  } catch (error) {
    settle((error as { code?: string }).code ?? String(error));
  }
}

@Injectable()
class HostServices {
  constructor(
    readonly registry: PluginRegistry,
    readonly gateway: PluginGateway,
    readonly sharedData: SharedDataService,
  ) {}
}

/** The attacker, under a name and with the dependencies a test gives it. */
function attackerPlugin(name: string, dependencies: string[]) {
  @Controller('attacker-controller')
  class AttackerController {
    constructor(private readonly host: HostServices) {}

    @Post('strike')
    strike(): void {
      attempt('its Nest controller', () => this.host.registry.call('victim', 'guarded'));
    }
  }

  @Plugin({ name, version: '1.0.0', dependencies, providers: [HostServices], controllers: [AttackerController], allowedTopics: ['signals'] })
  class AttackerPlugin {
    constructor(readonly host: HostServices) {}

    strike(entry: string): void {
      attempt(entry, () => this.host.registry.call('victim', 'guarded'));
    }

    async onPluginInit(ctx: PluginContext): Promise<void> {
      this.strike('onPluginInit');
      setTimeout(() => this.strike('a timer onPluginInit started'), 0);
      ctx.eventBus.on('friend:signal', () => this.strike('a ctx.eventBus listener'));
      ctx.http.registerRoutes((router) =>
        router.post('/strike', (_req, res) => {
          this.strike('a ctx.http route');
          res.json({});
        }),
      );
      ctx.tasks.schedule('strike', { everyMs: 60_000, scope: 'local' }, () => this.strike('a ctx.tasks run'));
      await ctx.topics.subscribe('signals', () => this.strike('a topic handler'));
    }

    @OnPluginEvent('friend:signal')
    onSignal(): void {
      this.strike('an @OnPluginEvent method');
    }

    /** Looks harmless; the friend calls it. */
    @Expose()
    innocent(): void {
      this.strike('its exposed method, called by friend');
      attempt('a handle from its exposed method', () => (this.host.registry.get('victim' as never) as unknown as { guarded(): void }).guarded());
      setTimeout(() => this.strike('a timer its exposed method started'), 0);
      PluginCallContext.run({ callerPluginId: 'friend' }, () => this.strike('PluginCallContext.run naming friend'));
    }

    @Expose()
    viaGateway(callerPluginId: string): Promise<unknown> {
      return this.host.gateway.call({ callerPluginId, targetPluginId: 'victim', targetServiceName: 'victim', method: 'POST', path: '/guarded' });
    }

    @Expose()
    async overwriteFriendKey(): Promise<string[]> {
      const refusals: string[] = [];
      await this.host.sharedData.set('vault', 'key', 'stolen', { ownerId: 'friend' }).catch((error: Error) => refusals.push(error.message));
      await this.host.sharedData.delete('vault', 'key', 'friend').catch((error: Error) => refusals.push(error.message));
      return refusals;
    }
  }
  return AttackerPlugin;
}

const UndeclaredAttacker = attackerPlugin('attacker', []);
/** Declares the victim, but the host grants it no permission on it. */
const DeclaredAttacker = attackerPlugin('attacker', ['victim']);

const ENTRIES = [
  'onPluginInit',
  'a timer onPluginInit started',
  'a ctx.eventBus listener',
  'an @OnPluginEvent method',
  'a ctx.http route',
  'its Nest controller',
  'a ctx.tasks run',
  'a topic handler',
  'its exposed method, called by friend',
  'a handle from its exposed method',
  'a timer its exposed method started',
  'PluginCallContext.run naming friend',
];

describe('red team: plugin code calls as itself (inline)', () => {
  let database: TestDatabase;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    canary.runs.length = 0;
    attempts.clear();
    database = await createTestDatabase('sqlite');
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await database.drop();
  });

  async function boot(attacker: Function): Promise<INestApplication> {
    app = await bootApp([
      TypeOrmModule.forRoot({ ...database.connection, synchronize: true }),
      PluginModule.forRoot({
        plugins: [VictimPlugin, attacker as never, FriendPlugin],
        trustedPlugins: ['attacker'],
        grants: { friend: ['vault.write'] },
        overrides: { friend: { topicNameMap: { signals: 'shared-signals' } }, attacker: { topicNameMap: { signals: 'shared-signals' } } },
      }),
    ]);
    return app;
  }

  /** Enters the attacker's code every way there is, the friend starting what a plugin can start. */
  async function enterEveryWay(started: INestApplication): Promise<void> {
    const friend = started.get(FriendPlugin).ctx;
    friend.call('attacker', 'innocent');
    friend.eventBus.emit('friend:signal');
    await friend.topics.send('signals', [{ value: 1 }]);
    await request(started.getHttpServer()).post('/plugins/attacker/strike').expect(200);
    await request(started.getHttpServer()).post('/plugins/attacker/attacker-controller/strike').expect(201);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('refuses an undeclared victim from every entry into its code; the guarded method never runs', async () => {
    await enterEveryWay(await boot(UndeclaredAttacker));
    expect(Object.fromEntries(attempts)).toEqual(Object.fromEntries(ENTRIES.map((entry) => [entry, 'PLUGIN_UNDECLARED_DEPENDENCY'])));
    expect(canary.runs).toEqual([]);
  });

  it('checks the permission against the attacker, not the friend who started the outer call', async () => {
    await enterEveryWay(await boot(DeclaredAttacker));
    expect(Object.fromEntries(attempts)).toEqual(Object.fromEntries(ENTRIES.map((entry) => [entry, 'PLUGIN_PERMISSION_DENIED'])));
    expect(canary.runs).toEqual([]);
  });

  it('lets the friend and the host reach the guarded method (the door the attacker knocks on is open to them)', async () => {
    const started = await boot(UndeclaredAttacker);
    started.get(FriendPlugin).ctx.call('victim', 'guarded');
    started.get(PluginRegistry).call('victim', 'guarded');
    await started.get(PluginGateway).call({ callerPluginId: 'friend', targetPluginId: 'victim', targetServiceName: 'victim', method: 'POST', path: '/guarded' });
    expect(canary.runs).toEqual(['friend', undefined, 'friend']);
  });

  it('refuses PluginGateway.call naming friend from plugin code with CallerMismatchError; naming itself, the undeclared victim', async () => {
    const friend = (await boot(UndeclaredAttacker)).get(FriendPlugin).ctx;
    const asFriend = friend.call('attacker', 'viaGateway', 'friend') as Promise<unknown>;
    await expect(asFriend).rejects.toThrow(CallerMismatchError);
    await expect(asFriend).rejects.toMatchObject({ code: 'PLUGIN_CALLER_MISMATCH', message: 'Plugin "attacker" may not call as "friend"' });
    await expect(friend.call('attacker', 'viaGateway', 'attacker')).rejects.toMatchObject({ code: 'PLUGIN_UNDECLARED_DEPENDENCY' });
    expect(canary.runs).toEqual([]);
  });

  it("refuses shared-data writes as friend from plugin code; friend's key is unchanged", async () => {
    const started = await boot(UndeclaredAttacker);
    const friend = started.get(FriendPlugin).ctx;
    await friend.sharedData.set('vault', 'key', 'friend-value');
    expect(await friend.call('attacker', 'overwriteFriendKey')).toEqual([
      'Plugin "attacker" may not call as "friend"',
      'Plugin "attacker" may not call as "friend"',
    ]);
    expect(await started.get(SharedDataService).getEntry('vault', 'key')).toMatchObject({ value: 'friend-value', ownerId: 'friend' });
  });
});
