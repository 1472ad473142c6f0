import { Expose, Plugin, type OnPluginInit, type PluginContext } from 'nestjs-plugins';

/** Points needed for gold: its own line in any compiler's output, so the README's `sed` can change it before a reload. */
const GOLD_POINTS = 100;

/** Points needed for each badge, best first. */
const BADGES: ReadonlyArray<readonly [badge: string, points: number]> = [
  ['gold', GOLD_POINTS],
  ['silver', 50],
  ['bronze', 10],
];

/**
 * Not loaded at boot: the sample loads it at runtime (POST /admin/plugins/badges/load).
 * Runtime plugins cannot have Nest controllers, so it serves HTTP through ctx.http.
 */
@Plugin({
  name: 'badges',
  version: '1.0.0',
  description: 'Badges from scores, loaded at runtime',
  dependencies: [{ name: 'user-utils', version: '^1.0.0', reason: 'reads scores' }],
})
export default class BadgesPlugin implements OnPluginInit {
  private ctx!: PluginContext;

  onPluginInit(ctx: PluginContext): void {
    this.ctx = ctx;
    ctx.http.registerRoutes((router) => {
      // Express 5 hands a rejected promise to Nest's exception layer, so an async handler needs no try/catch.
      router.get('/:userId', async (req, res) => {
        const { userId } = req.params;
        const score = await ctx.call('user-utils', 'getScore', userId);
        res.json({ userId, score, badge: badgeOf(score) });
      });
    });
  }

  @Expose()
  async badgeFor(userId: string): Promise<string> {
    return badgeOf(await this.ctx.call('user-utils', 'getScore', userId));
  }
}

function badgeOf(score: number): string {
  return BADGES.find(([, points]) => score >= points)?.[0] ?? 'none';
}
