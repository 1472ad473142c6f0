import { Expose, InjectPluginContext, Plugin, type PluginContext } from 'nestjs-plugins';

/** A plugin that depends on another and reaches it through its context. */
@Plugin({ name: 'leaderboard', version: '1.0.0', dependencies: [{ name: 'scores', version: '^1.0.0' }] })
export class LeaderboardPlugin {
  constructor(@InjectPluginContext() private readonly ctx: PluginContext) {}

  @Expose()
  async award(userId: string, points: number): Promise<string> {
    const score = await this.ctx.call('scores', 'addScore', userId, points);
    return `${userId} has ${score.toFixed(0)}`;
  }

  @Expose()
  async countRows(): Promise<unknown> {
    return this.ctx.database.executeQuery('SELECT COUNT(*) FROM anything');
  }
}
