import { Expose, Plugin } from 'nestjs-plugins';
import { ScoreStore } from './score.store.js';
import { UserScore } from './user-score.entity.js';
import { CreateUserScores1765000000000 } from './migrations/1765000000000-create-user-scores.js';

@Plugin({
  name: 'user-utils',
  version: '1.2.0',
  description: 'Per-user scores',
  entities: [UserScore],
  migrations: [CreateUserScores1765000000000],
  allowedTables: ['user_scores'],
  providers: [ScoreStore],
})
export class UserUtilsPlugin {
  constructor(private readonly store: ScoreStore) {}

  @Expose()
  getScore(userId: string): Promise<number> {
    return this.store.get(userId);
  }

  @Expose()
  addScore(userId: string, points: number): Promise<number> {
    return this.store.add(userId, points);
  }
}

// The default export is what a runtime loader (`pluginsDir`, `manager.load`) imports.
export default UserUtilsPlugin;
