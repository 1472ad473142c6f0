import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsInt, IsString, Min } from 'class-validator';
import { Expose, InjectPluginContext, Plugin, PluginModule, type PluginContext } from '../lib/index.js';
import { comparePair, comparePairAsync, ratioFigure, type Figure, type PairOptions } from './harness.js';

/** What `@Expose` guard options cost a call, against the same method without them. */

const SYNC_CALLS: PairOptions = { loops: 20_000, samples: 61, warmupSamples: 20 };
const AWAITED_CALLS: PairOptions = { loops: 2_000, samples: 41, warmupSamples: 10 };

class Award {
  @IsString() userId!: string;
  @IsInt() @Min(1) points!: number;
}

@Injectable()
class Scores {
  @Expose()
  plain(award: Award): number {
    return award.points;
  }

  @Expose({ permissions: ['scores.award'] })
  permitted(award: Award): number {
    return award.points;
  }

  @Expose({ permissions: ['scores.award'], validate: true })
  async checked(award: Award): Promise<number> {
    return award.points;
  }

  @Expose()
  async plainAsync(award: Award): Promise<number> {
    return award.points;
  }
}

@Plugin({ name: 'scores', version: '1.0.0', providers: [Scores] })
class ScoresPlugin {}

@Plugin({ name: 'caller', version: '1.0.0', dependencies: ['scores'], permissions: ['scores.award'] })
class CallerPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

@Module({ imports: [PluginModule.forRoot({ plugins: [ScoresPlugin, CallerPlugin], grants: { caller: ['scores.award'] } })] })
class CallGuardsBenchModule {}

export async function runCallGuardsBench(): Promise<Figure[]> {
  const app = await NestFactory.createApplicationContext(CallGuardsBenchModule, { logger: false });
  await app.init();
  const { ctx } = app.get(CallerPlugin);
  const award: Award = Object.assign(new Award(), { userId: 'ada', points: 3 });
  const syncLoop = (method: 'plain' | 'permitted') => (loops: number) => {
    let total = 0;
    for (let i = 0; i < loops; i++) total += ctx.call('scores', method, award) as number;
    return total;
  };
  const awaitedLoop = (method: 'plainAsync' | 'checked') => async (loops: number) => {
    let total = 0;
    for (let i = 0; i < loops; i++) total += (await ctx.call('scores', method, award)) as number;
    return total;
  };
  const permitted = comparePair(syncLoop('plain'), syncLoop('permitted'), SYNC_CALLS);
  const checked = await comparePairAsync(awaitedLoop('plainAsync'), awaitedLoop('checked'), AWAITED_CALLS);
  await app.close();
  return [
    ratioFigure("ctx.call of a method with { permissions } vs the same method without options", permitted.subject, permitted.baseline, 'ns/op'),
    ratioFigure('awaited ctx.call with { permissions, validate } (class-validator) vs an async method without options', checked.subject, checked.baseline, 'ns/op'),
  ];
}
