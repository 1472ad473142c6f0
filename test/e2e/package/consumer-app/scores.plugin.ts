import { IsInt, Min } from 'class-validator';
import { Expose, InjectPluginContext, Plugin, type PluginContext } from 'nestjs-plugins';

export class ScoresConfig {
  @IsInt()
  @Min(0)
  startingScore!: number;
}

/** A plugin with configuration: `ctx.config` is typed by its schema. */
@Plugin({ name: 'scores', version: '1.2.0', configSchema: ScoresConfig })
export class ScoresPlugin {
  private readonly scores = new Map<string, number>();

  constructor(@InjectPluginContext() private readonly ctx: PluginContext<ScoresConfig>) {}

  @Expose()
  addScore(userId: string, points: number): number {
    const score = (this.scores.get(userId) ?? this.ctx.config.startingScore) + points;
    this.scores.set(userId, score);
    return score;
  }
}
