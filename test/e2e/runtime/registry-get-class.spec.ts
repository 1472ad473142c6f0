import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Expose, Plugin, PluginManager, PluginModule, PluginNotActiveError, PluginRegistry } from 'nestjs-plugins';
import { bootApp } from '../support/boot-app.js';

@Plugin({ name: 'runtime-greeter', version: '1.0.0' })
class RuntimeGreeterPlugin {
  @Expose()
  greet(who: string): string {
    return `hello ${who}`;
  }
}

describe('registry.get(Class) of a plugin loaded at runtime', () => {
  let app: INestApplication;
  let manager: PluginManager;
  let registry: PluginRegistry;

  beforeEach(async () => {
    app = await bootApp([PluginModule.forRoot({})]);
    manager = app.get(PluginManager);
    registry = app.get(PluginRegistry);
  });
  afterEach(() => app.close());

  it('finds the plugin by the class passed to load, until it is unloaded', async () => {
    await manager.load(RuntimeGreeterPlugin);
    const handle = registry.get(RuntimeGreeterPlugin);
    expect(handle.metadata.name).toBe('runtime-greeter');
    expect(handle.greet('ada')).toBe('hello ada');

    await manager.unload('runtime-greeter');
    expect(() => registry.get(RuntimeGreeterPlugin)).toThrow(PluginNotActiveError);
    expect(() => registry.get(RuntimeGreeterPlugin)).toThrow('runtime-greeter');
  });

  it('keeps finding it after a reload, and after loading it again', async () => {
    await manager.load(RuntimeGreeterPlugin);
    await manager.reload('runtime-greeter');
    expect(registry.get(RuntimeGreeterPlugin).greet('bob')).toBe('hello bob');

    await manager.unload('runtime-greeter');
    await manager.load(RuntimeGreeterPlugin);
    expect(registry.get(RuntimeGreeterPlugin).greet('cy')).toBe('hello cy');
  });
});
