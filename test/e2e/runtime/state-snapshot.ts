import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { PluginRegistry } from 'nestjs-plugins';

/** What a failed operation must leave untouched: plugins and states, listeners, Nest modules. */
export function stateSnapshot(app: INestApplication) {
  const emitter = app.get(EventEmitter2);
  return {
    plugins: app.get(PluginRegistry).list().map(({ name, version, state }) => `${name}@${version}:${state}`),
    listeners: emitter.eventNames().reduce((total, event) => total + emitter.listenerCount(event as string), 0),
    modules: app.get(ModulesContainer).size,
  };
}
