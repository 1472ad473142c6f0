import { Expose, Plugin } from 'nestjs-plugins';

/**
 * A plugin installed from npm: the sample lists it in `PluginModule.forRoot({ packages })`.
 * Plain JavaScript, as a package ships it after its build: the decorators are applied as
 * calls. It imports `nestjs-plugins` as a peer, so it shares the application's copy.
 */
class GreetingPlugin {
  onPluginInit(ctx) {
    // Routes through ctx.http work whether the plugin is loaded at boot or at runtime.
    ctx.http.registerRoutes((router) => {
      router.get('/hello/:name', (req, res) => {
        res.json({ greeting: this.greet(req.params.name) });
      });
    });
  }

  greet(name) {
    return `Hello, ${name}!`;
  }
}

Expose()(GreetingPlugin.prototype, 'greet', Object.getOwnPropertyDescriptor(GreetingPlugin.prototype, 'greet'));
Plugin({ name: 'greeting', version: '1.0.0', description: 'Greets by name, installed as the package @nestjs-plugins-sample/greeting' })(GreetingPlugin);

export default GreetingPlugin;
