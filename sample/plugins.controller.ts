import { Controller, Get } from '@nestjs/common';
import { PluginRegistry, type PluginDependency, type PluginState } from 'nestjs-plugins';

interface PluginSummary {
  name: string;
  version: string;
  state: PluginState;
  dependencies: PluginDependency[];
  /** why a plugin failed; the Error itself would serialize as `{}` */
  error?: string;
}

/** Host route listing the plugins and their states. */
@Controller('plugins')
export class PluginsController {
  constructor(private readonly registry: PluginRegistry) {}

  @Get()
  list(): PluginSummary[] {
    return this.registry.list().map(({ name, version, state, metadata, error }) => ({
      name,
      version,
      state,
      dependencies: metadata.dependencies ?? [],
      ...(error === undefined ? {} : { error: error.message }),
    }));
  }
}
