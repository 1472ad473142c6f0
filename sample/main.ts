import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PluginGatewayModule } from 'nestjs-plugins/gateway';
import { AppModule } from './app.module.js';

async function bootstrap(): Promise<void> {
  // Imported only when asked: the sample runs without the OpenTelemetry SDK otherwise.
  if (process.env.TRACES === 'console') (await import('./tracing.js')).startConsoleTracing();
  const app = await NestFactory.create(AppModule);
  // Ctrl+C / SIGTERM run onPluginDestroy in reverse dependency order.
  app.enableShutdownHooks();
  // Swagger UI at /api/plugin-gateway/docs, the JSON document at /api/plugin-gateway/docs/json.
  PluginGatewayModule.setupOpenApi(app);
  const port = process.env.PORT ?? 3000;
  await app.listen(port);
  new Logger('Sample').log(`Listening on http://localhost:${port} (try GET /plugins)`);
  new Logger('Sample').log(`Admin console: http://localhost:${port}/api/plugin-gateway/console (the GATEWAY_API_KEY, dev-key by default)`);
}

await bootstrap();
