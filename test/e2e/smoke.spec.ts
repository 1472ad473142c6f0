import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Expose, Plugin, PluginModule, PluginRegistry, type PluginContext, InjectPluginContext } from 'nestjs-plugins';

@Injectable() class Helper { @Expose() twice(n: number) { return n * 2; } }

@Plugin({ name: 'base', version: '1.0.0', providers: [Helper], exports: [Helper] })
class BasePlugin { @Expose() hello() { return 'hi'; } }

@Injectable() class UsesHelper { constructor(readonly helper: Helper, @InjectPluginContext() readonly ctx: PluginContext) {} }

@Plugin({ name: 'top', version: '1.0.0', dependencies: [{ name: 'base', version: '^1.0.0' }], providers: [UsesHelper] })
class TopPlugin {
  constructor(readonly uses: UsesHelper) {}
  async onPluginInit(ctx: PluginContext) { this.got = ctx.call('base', 'hello') as string; }
  got = '';
  @Expose() value() { return this.got + this.uses.helper.twice(2); }
}

test('smoke', async () => {
  const mod = await Test.createTestingModule({ imports: [EventEmitterModule.forRoot(), PluginModule.forRoot({ plugins: [TopPlugin, BasePlugin] })] }).compile();
  const app = mod.createNestApplication(); await app.init();
  const registry = app.get(PluginRegistry);
  expect(registry.call('top', 'value')).toBe('hi4');
  expect(registry.list().map((p) => p.state)).toEqual(['active', 'active']);
  await app.close();
  expect(registry.list().map((p) => p.state)).toEqual(['inactive', 'inactive']);
});
