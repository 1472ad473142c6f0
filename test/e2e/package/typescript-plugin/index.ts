import { Controller, Get, Injectable, Param } from '@nestjs/common';
import { Expose, InjectPluginContext, Plugin, type PluginContext } from 'nestjs-plugins';

/**
 * A plugin package as docs/writing-plugins.md lays it out: TypeScript, compiled against its own
 * devDependency copy of nestjs-plugins (a peer in production), installed into the app with `file:`.
 */
@Injectable()
export class Counter {
  private count = 0;

  constructor(@InjectPluginContext() private readonly ctx: PluginContext) {}

  @Expose()
  next(): string {
    this.count += 1;
    return `${this.ctx.plugin.name} counted ${this.count}`;
  }
}

@Controller()
export class CounterController {
  constructor(private readonly counter: Counter) {}

  @Get('count/:who')
  read(@Param('who') who: string): { who: string; said: string } {
    return { who, said: this.counter.next() };
  }
}

@Plugin({ name: 'counter', version: '3.0.0', providers: [Counter], controllers: [CounterController] })
export default class CounterPlugin {
  @Expose()
  greet(name: string): string {
    return `Hello from TypeScript, ${name}!`;
  }

  onPluginInit(ctx: PluginContext): void {
    ctx.http.registerRoutes((router) => {
      router.get('/ping', (_req, res) => {
        res.json({ pong: ctx.plugin.name });
      });
    });
  }
}
