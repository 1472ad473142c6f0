import { createRequire } from 'node:module';
import { MODULE_PATH } from '@nestjs/common/internal';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { Injector } from '@nestjs/core/injector/injector.js';
import type { NestContainer } from '@nestjs/core/injector/container.js';
import type { Module as NestModule } from '@nestjs/core/injector/module.js';
import { NoopGraphInspector } from '@nestjs/core/inspector/noop-graph-inspector.js';
import { RoutesResolver } from '@nestjs/core/router/routes-resolver.js';
import type { Router } from 'express';

/**
 * The routes of the Nest controllers of a plugin's modules, built by Nest's own `RoutesResolver` as at boot
 * (same paths under the global prefix and `plugins/<name>`, same global and controller guards,
 * pipes, interceptors and filters), but on an Express router of their own instead of the
 * application: the application's not-found handler is already mounted once it runs, so routes
 * added to it after boot would never be reached, and a router can be dropped whole on unload.
 */
export function pluginControllerRouter(container: NestContainer, modules: readonly NestModule[], pluginModule: NestModule, pluginName: string): Router {
  const adapter = container.getHttpAdapterRef();
  const config = container.applicationConfig!;
  const express = createRequire(import.meta.url)('express') as typeof import('express');
  const router = express.Router();
  // The adapter as Nest uses it (path normalization, version filters, replies), its verb methods writing to the router.
  const onRouter = Object.create(adapter, { instance: { value: router } }) as AbstractHttpAdapter;
  const resolver = new RoutesResolver(container, config, new Injector(), NoopGraphInspector);
  for (const moduleRef of modules) {
    // A module the plugin imports keeps its own path, as at boot; only the plugin's module is under its name.
    const modulePath = moduleRef === pluginModule ? `/plugins/${pluginName}` : ownPath(container, moduleRef);
    resolver.registerRouters(moduleRef.controllers, moduleRef.token, config.getGlobalPrefix(), modulePath, onRouter);
  }
  return router;
}

/** A module's path from `RouterModule`, read as Nest's `RoutesResolver` reads it. */
function ownPath(container: NestContainer, moduleRef: NestModule): string {
  const { metatype } = moduleRef;
  return Reflect.getMetadata(MODULE_PATH + container.getModules().applicationId, metatype) ?? Reflect.getMetadata(MODULE_PATH, metatype);
}
