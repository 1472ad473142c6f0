import { Injectable } from '@nestjs/common';
import { Expose, InjectPluginRepository } from 'nestjs-plugins';
import type { Repository } from 'typeorm';
import { UserScore } from './user-score.entity.js';

/** Scores in the plugin's own table. A provider rather than the plugin class, so @Expose on a provider is shown too. */
@Injectable()
export class ScoreStore {
  constructor(@InjectPluginRepository(UserScore) private readonly scores: Repository<UserScore>) {}

  async get(userId: string): Promise<number> {
    const row = await this.scores.findOneBy({ userId });
    return row?.score ?? 0;
  }

  /** The row is created if missing and the points are added in SQL, so concurrent awards never lose points. */
  async add(userId: string, points: number): Promise<number> {
    // updateEntity(false): when the row exists the insert is ignored, and TypeORM would fail reading back an id it never got.
    await this.scores.createQueryBuilder().insert().values({ userId, score: 0 }).orIgnore().updateEntity(false).execute();
    await this.scores.increment({ userId }, 'score', points);
    return this.get(userId);
  }

  @Expose()
  async resetScore(userId: string): Promise<void> {
    await this.scores.delete({ userId });
  }
}
