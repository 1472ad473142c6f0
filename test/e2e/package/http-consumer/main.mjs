import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PluginManager, PluginModule, PluginRegistry } from 'nestjs-plugins';

/**
 * An HTTP application consuming the TypeScript plugin package (`file:`, with the package's own
 * copy of nestjs-plugins in its node_modules), at boot and at runtime. Prints one line per check.
 */
async function serve(packages) {
  class AppModule {}
  Module({ imports: [PluginModule.forRoot({ packages })] })(AppModule);
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const get = async (path) => {
    const response = await fetch(new URL(path, await app.getUrl()));
    return `${response.status} ${await response.text()}`;
  };
  return { app, get, registry: app.get(PluginRegistry), manager: app.get(PluginManager) };
}

const boot = await serve(['@acme/nest-plugin-counter']);
console.log('boot call:', await boot.registry.call('counter', 'greet', 'ada'));
console.log('boot provider call:', await boot.registry.call('counter', 'next'));
console.log('boot controller:', await boot.get('/plugins/counter/count/ada'));
console.log('boot ctx.http:', await boot.get('/plugins/counter/ping'));
await boot.app.close();

const runtime = await serve([]);
await runtime.manager.load('@acme/nest-plugin-counter');
console.log('runtime call:', await runtime.registry.call('counter', 'greet', 'grace'));
console.log('runtime provider call:', await runtime.registry.call('counter', 'next'));
console.log('runtime ctx.http:', await runtime.get('/plugins/counter/ping'));
await runtime.app.close();
