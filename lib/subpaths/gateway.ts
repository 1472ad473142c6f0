// `nestjs-plugins/gateway`: the host over REST. Its own entry because it needs `@nestjs/swagger`
// (an optional peer), which apps that never serve the gateway need not install.
export { PluginGatewayModule } from '../gateway-module/plugin-gateway.module.js';
export type { PluginGatewayModuleOptions } from '../gateway-module/plugin-gateway-module.options.js';
