import 'reflect-metadata';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, Module } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import {
  Expose,
  Plugin,
  PluginInitError,
  PluginLoadError,
  PluginModule,
  PluginRegistry,
  type PluginErrorEvent,
} from 'nestjs-plugins';
import { bootApp } from './support/boot-app.js';

/** Compiled-plugin source as a user's build would emit it (decorators applied as calls). */
function pluginFile(name: string, dependencies: string[], body: string): string {
  return `
import { Expose, Plugin } from 'nestjs-plugins';
class FilePlugin {
  ${body}
}
for (const key of Object.getOwnPropertyNames(FilePlugin.prototype)) {
  if (key !== 'constructor') Expose()(FilePlugin.prototype, key, Object.getOwnPropertyDescriptor(FilePlugin.prototype, key));
}
Plugin({ name: ${JSON.stringify(name)}, version: '1.0.0', dependencies: ${JSON.stringify(dependencies)} })(FilePlugin);
export default FilePlugin;
`;
}

describe('pluginsDir', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'plugins-dir-'));
    await writeFile(join(directory, 'package.json'), '{ "type": "module" }');
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('loads every *.plugin.js file below the directory at boot, with dependencies among them and listed plugins', async () => {
    @Plugin({ name: 'listed', version: '1.0.0' })
    class ListedPlugin {
      @Expose()
      base(): number {
        return 40;
      }
    }
    await mkdir(join(directory, 'greeter'));
    await writeFile(join(directory, 'greeter', 'greeter.plugin.js'), pluginFile('greeter', ['counter'], `greet(who) { return 'hello ' + who; }`));
    await writeFile(join(directory, 'greeter', 'helper.js'), 'throw new Error("helpers are not plugins and must not be imported");');
    await writeFile(
      join(directory, 'counter.plugin.js'),
      pluginFile('counter', ['listed'], `onPluginInit(ctx) { this.start = ctx.call('listed', 'base'); } next() { return ++this.start; }`),
    );

    const app = await bootApp([PluginModule.forRoot({ plugins: [ListedPlugin], pluginsDir: directory })]);
    const registry = app.get(PluginRegistry);
    expect(registry.list().map(({ name, state }) => [name, state])).toEqual([
      ['listed', 'active'],
      ['counter', 'active'],
      ['greeter', 'active'],
    ]);
    expect(registry.call('greeter', 'greet', 'ada')).toBe('hello ada');
    expect(registry.call('counter', 'next')).toBe(41);
    await app.close();
  });

  it('fails boot with PluginLoadError for a file that does not default-export a plugin', async () => {
    const file = join(directory, 'bad.plugin.js');
    await writeFile(file, 'export const notDefault = 1;');
    const failure = Test.createTestingModule({ imports: [PluginModule.forRoot({ pluginsDir: directory })] }).compile();
    await expect(failure).rejects.toThrow(PluginLoadError);
    await expect(failure).rejects.toThrow(`Cannot load plugin from "${file}": its default export is not a class decorated with @Plugin()`);
  });

  it('fails boot with PluginLoadError carrying the cause for a file that does not import', async () => {
    await writeFile(join(directory, 'broken.plugin.js'), 'export default class {');
    const error = await Test.createTestingModule({ imports: [PluginModule.forRoot({ pluginsDir: directory })] })
      .compile()
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect((error as Error).message).toMatch(/broken\.plugin\.js": import failed: /);
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });
});

describe('forRootAsync', () => {
  it('takes options from a factory with injected dependencies, and plugins beside it', async () => {
    @Injectable()
    class Settings {
      readonly onError = 'isolate' as const;
    }
    @Module({ providers: [Settings], exports: [Settings] })
    class SettingsModule {}

    @Plugin({ name: 'healthy', version: '1.0.0' })
    class HealthyPlugin {}
    @Plugin({ name: 'unlucky', version: '1.0.0' })
    class UnluckyPlugin {
      onPluginInit() {
        throw new Error('no luck');
      }
    }

    const app = await bootApp([
      PluginModule.forRootAsync({
        imports: [SettingsModule],
        inject: [Settings],
        useFactory: (settings: Settings) => ({ onError: settings.onError }),
        plugins: [HealthyPlugin, UnluckyPlugin],
      }),
    ]);
    expect(app.get(PluginRegistry).list().map(({ name, state }) => [name, state])).toEqual([
      ['healthy', 'active'],
      ['unlucky', 'failed'],
    ]);
    await app.close();
  });
});

describe("onError: 'isolate'", () => {
  it('marks a failing plugin and everything requiring it failed, emits plugin:error, starts the rest', async () => {
    const initError = new Error('cannot reach billing API');
    @Plugin({ name: 'billing', version: '1.0.0' })
    class BillingPlugin {
      onPluginInit() {
        throw initError;
      }
    }
    @Plugin({ name: 'invoices', version: '1.0.0', dependencies: ['billing'] })
    class InvoicesPlugin {}
    @Plugin({ name: 'dashboard', version: '1.0.0', dependencies: [{ name: 'invoices', optional: true }] })
    class DashboardPlugin {
      @Expose()
      ping(): string {
        return 'pong';
      }
    }
    @Plugin({ name: 'reports', version: '1.0.0', dependencies: [{ name: 'inventory', version: '^1.0.0' }] })
    class ReportsPlugin {}
    @Plugin({ name: 'exports', version: '1.0.0', dependencies: ['reports'] })
    class ExportsPlugin {}

    const events: PluginErrorEvent[] = [];
    @Injectable()
    class ErrorWatcher {
      constructor(emitter: EventEmitter2) {
        emitter.on('plugin:error', (event: PluginErrorEvent) => events.push(event));
      }
    }
    @Module({ providers: [ErrorWatcher] })
    class WatcherModule {}

    const app = await bootApp([
      WatcherModule,
      PluginModule.forRoot({
        plugins: [BillingPlugin, InvoicesPlugin, DashboardPlugin, ReportsPlugin, ExportsPlugin],
        onError: 'isolate',
      }),
    ]);
    const registry = app.get(PluginRegistry);
    expect(registry.list().map(({ name, state }) => [name, state])).toEqual([
      ['billing', 'failed'],
      ['invoices', 'failed'],
      ['dashboard', 'active'],
      ['reports', 'failed'],
      ['exports', 'failed'],
    ]);
    expect(registry.call('dashboard', 'ping')).toBe('pong');
    expect(() => registry.call('invoices', 'anything')).toThrow('Plugin "invoices" is not active');

    const billingError = registry.list()[0].error as PluginInitError;
    expect(billingError).toBeInstanceOf(PluginInitError);
    expect(billingError.cause).toBe(initError);
    expect(registry.list()[3].error?.message).toBe('Plugin "reports" requires "inventory" (^1.0.0), which is not installed');
    expect(events.map((event) => [event.metadata?.name, event.error.message])).toEqual([
      ['reports', 'Plugin "reports" requires "inventory" (^1.0.0), which is not installed'],
      ['exports', 'Plugin "reports" requires "inventory" (^1.0.0), which is not installed'],
      ['billing', 'Plugin "billing" failed in onPluginInit: cannot reach billing API'],
      ['invoices', 'Plugin "billing" failed in onPluginInit: cannot reach billing API'],
    ]);
    await app.close();
  });
});
