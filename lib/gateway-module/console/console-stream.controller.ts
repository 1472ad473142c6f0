import { Controller, Sse, UseFilters, UseGuards, type MessageEvent } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { PluginErrorFilter } from '../plugin-error.filter.js';
import { CONSOLE_PATH } from './console-page.controller.js';
import { ConsolePluginFeed } from './console-plugin-feed.js';
import { ConsoleStreamGuard } from './console-stream.guard.js';

/** The console's live plugin list, as server-sent events (the key comes in a cookie: see ConsoleStreamGuard). */
@ApiExcludeController()
@Controller(CONSOLE_PATH)
@UseGuards(ConsoleStreamGuard)
@UseFilters(PluginErrorFilter)
export class ConsoleStreamController {
  constructor(private readonly feed: ConsolePluginFeed) {}

  @Sse('events')
  events(): Observable<MessageEvent> {
    return this.feed.stream();
  }
}
