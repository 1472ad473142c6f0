import { Expose, Plugin, type PluginContext } from 'nestjs-plugins';

/**
 * A plugin installed from npm: the sample lists it in `PluginModule.forRoot({ packages })`.
 * Written in TypeScript and compiled to `dist/` as a published package would be
 * (docs/writing-plugins.md): `nestjs-plugins` is its peer, and its devDependency to compile against.
 */
@Plugin({ name: 'greeting', version: '1.0.0', description: 'Greets by name, installed as the package @nestjs-plugins-sample/greeting' })
export default class GreetingPlugin {
  onPluginInit(ctx: PluginContext): void {
    // Routes through ctx.http work whether the plugin is loaded at boot or at runtime.
    ctx.http.registerRoutes((router) => {
      router.get('/hello/:name', (req, res) => {
        res.json({ greeting: this.greet(req.params.name!) });
      });
    });
  }

  @Expose()
  greet(name: string): string {
    return `Hello, ${name}!`;
  }
}
