import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Expose, InjectPluginContext, Plugin, PluginModule, type PluginContext } from '../lib/index.js';

/**
 * Run as its own process by the tracing bench: ctx.call of a trivial method, ns/op (median of
 * samples), printed as JSON. The bench runs it with `@opentelemetry/api` resolvable and hidden.
 */

@Plugin({ name: 'probe-target', version: '1.0.0' })
export class ProbeTarget {
  @Expose()
  add(a: number, b: number): number {
    return a + b;
  }
}

@Plugin({ name: 'probe-caller', version: '1.0.0', dependencies: ['probe-target'] })
export class ProbeCaller {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

@Module({ imports: [PluginModule.forRoot({ plugins: [ProbeTarget, ProbeCaller] })] })
class ProbeModule {}

const LOOPS = 50_000;
const SAMPLES = 31;

export async function probeCallNs(): Promise<number> {
  const app = await NestFactory.createApplicationContext(ProbeModule, { logger: false });
  const { ctx } = app.get(ProbeCaller);
  const loop = (): number => {
    let total = 0;
    for (let i = 0; i < LOOPS; i++) total += ctx.call('probe-target', 'add', i, 1) as number;
    return total;
  };
  for (let i = 0; i < 10; i++) loop();
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = process.hrtime.bigint();
    loop();
    samples.push(Number(process.hrtime.bigint() - start) / LOOPS);
  }
  await app.close();
  return samples.sort((a, b) => a - b)[SAMPLES >> 1];
}

if (process.argv[2] === '--probe') process.stdout.write(JSON.stringify({ ns: await probeCallNs() }));
