import { Plugin } from 'nestjs-plugins';
import { LeaderboardController } from './leaderboard.controller.js';

/** HTTP front for scores; exposes no methods of its own. */
@Plugin({
  name: 'leaderboard',
  version: '1.0.0',
  description: 'Award points and read scores over HTTP',
  dependencies: [{ name: 'user-utils', version: '^1.0.0', reason: 'reads and awards scores' }],
  controllers: [LeaderboardController],
})
export class LeaderboardPlugin {}

export default LeaderboardPlugin;
