import { Expose, Plugin } from 'nestjs-plugins';
import { ScoreStore } from './score.store.js';

@Plugin({
  name: 'user-utils',
  version: '1.2.0',
  description: 'Per-user scores',
  providers: [ScoreStore],
})
export class UserUtilsPlugin {
  constructor(private readonly store: ScoreStore) {}

  @Expose()
  getScore(userId: string): number {
    return this.store.get(userId);
  }

  @Expose()
  addScore(userId: string, points: number): number {
    return this.store.add(userId, points);
  }
}

// The default export is what a runtime loader (`pluginsDir`, `manager.load`) imports.
export default UserUtilsPlugin;
