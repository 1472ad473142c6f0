import 'reflect-metadata';
import './plugin-types.js';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { InvalidPluginConfigError, PluginModule, PluginRegistry } from 'nestjs-plugins';
import { createMockPluginContext, createPluginTestingModule } from 'nestjs-plugins/testing';
import { LeaderboardPlugin } from './leaderboard.plugin.js';
import { ScoresPlugin, type ScoresConfig } from './scores.plugin.js';

/**
 * A consumer of the packed package, compiled with `skipLibCheck: false` and run without any
 * optional peer (no typeorm, express, nats, S3 SDK or swagger). Prints one line per check.
 */
function appModule(startingScore: unknown) {
  @Module({
    imports: [
      EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }),
      PluginModule.forRoot({
        plugins: [LeaderboardPlugin, ScoresPlugin],
        packages: ['@acme/nest-plugin-greeting'],
        config: { scores: { startingScore } },
      }),
    ],
  })
  class AppModule {}
  return AppModule;
}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(appModule(100), { logger: false });
  const registry = app.get(PluginRegistry);
  console.log('call:', await registry.call('leaderboard', 'award', 'ada', 5));
  console.log('typed:', (await registry.call('scores', 'addScore', 'ada', 1)) + 1);
  // @ts-expect-error -- missing argument, caught by the declared PluginTypes
  void registry.call('scores', 'addScore', 'ada');
  console.log('package:', await registry.call('greeting', 'hello', 'ada'));
  console.log('plugins:', registry.list().map((plugin) => `${plugin.name}@${plugin.version}`).sort().join(','));
  console.log('no typeorm:', await Promise.resolve(registry.call('leaderboard', 'countRows')).catch((error: Error) => error.name));
  await app.close();

  const refused = await NestFactory.createApplicationContext(appModule(-1), { logger: false }).catch((error: unknown) => error);
  console.log('config:', refused instanceof InvalidPluginConfigError ? (refused as Error).message : String(refused));

  const gateway = await import('nestjs-plugins/gateway').then(
    () => 'loaded',
    (error: Error) => `refused: ${error.message.includes("'@nestjs/swagger'") ? 'needs @nestjs/swagger' : error.message}`,
  );
  console.log('gateway subpath:', gateway);

  const ctx = createMockPluginContext<ScoresConfig>({ plugin: { name: 'scores' }, config: { startingScore: 7 } });
  console.log('testing:', new ScoresPlugin(ctx).addScore('grace', 1));
  const testing = await createPluginTestingModule({ plugins: [ScoresPlugin], database: false, config: { scores: { startingScore: 40 } } });
  console.log('testing module:', await testing.registry.call('scores', 'addScore', 'grace', 2));
  await testing.close();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
