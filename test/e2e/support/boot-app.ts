import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { PluginModule } from 'nestjs-plugins';

/** Boots a real Nest application with the application's EventEmitter, the given imports and host controllers. */
export async function bootApp(
  imports: NonNullable<ModuleMetadata['imports']>,
  controllers: NonNullable<ModuleMetadata['controllers']> = [],
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [EventEmitterModule.forRoot({ wildcard: true, delimiter: ':' }), ...imports],
    controllers,
  }).compile();
  moduleRef.useLogger(false);
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

/** Records the order in which hooks ran, as `hook:name` strings. */
export class HookJournal {
  readonly entries: string[] = [];

  record(entry: string): void {
    this.entries.push(entry);
  }

  of(hook: string): string[] {
    return this.entries.filter((entry) => entry.startsWith(`${hook}:`)).map((entry) => entry.slice(hook.length + 1));
  }
}

/** Boots an application with PluginModule.forRoot(options); returns the error boot failed with. */
export async function bootFailure(options: Parameters<typeof PluginModule.forRoot>[0]): Promise<unknown> {
  let app: INestApplication | undefined;
  try {
    app = await bootApp([PluginModule.forRoot(options)]);
  } catch (error) {
    return error;
  } finally {
    await app?.close();
  }
  throw new Error('boot succeeded');
}
