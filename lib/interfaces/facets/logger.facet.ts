import type { LoggerService } from '@nestjs/common';

/** `ctx.logger`: Nest's logger interface; every line carries the plugin's name as its context. */
export type PluginLogger = LoggerService;
