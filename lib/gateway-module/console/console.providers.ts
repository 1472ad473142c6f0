import type { Provider, Type } from '@nestjs/common';
import { ConsoleDataController } from './console-data.controller.js';
import { ConsoleGraphRenderer } from './console-graph.renderer.js';
import { ConsolePageController } from './console-page.controller.js';
import { ConsolePluginDetailsReader } from './console-plugin-details.reader.js';
import { ConsolePluginFeed } from './console-plugin-feed.js';
import { ConsoleStreamController } from './console-stream.controller.js';
import { ConsoleStreamGuard } from './console-stream.guard.js';
import { ConsoleRates } from './console-rates.js';
import { ConsoleRatesController } from './console-rates.controller.js';

/** What `PluginGatewayModule.forRoot({ console: true })` adds. */
export const CONSOLE_CONTROLLERS: Type[] = [ConsolePageController, ConsoleDataController, ConsoleStreamController, ConsoleRatesController];
export const CONSOLE_PROVIDERS: Provider[] = [ConsolePluginFeed, ConsolePluginDetailsReader, ConsoleGraphRenderer, ConsoleStreamGuard, ConsoleRates];
