import { Expose, Plugin, type OnPluginInit, type PluginContext } from 'nestjs-plugins';

/** Points needed for each badge, best first. Change them and reload the plugin to see new code run. */
const BADGES: ReadonlyArray<readonly [badge: string, points: number]> = [
  ['gold', 100],
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
      router.get('/:userId', (req, res) => {
        const { userId } = req.params;
        res.json({ userId, score: ctx.call('user-utils', 'getScore', userId), badge: this.badgeFor(userId) });
      });
    });
  }

  @Expose()
  badgeFor(userId: string): string {
    const score = this.ctx.call('user-utils', 'getScore', userId);
    return BADGES.find(([, points]) => score >= points)?.[0] ?? 'none';
  }
}
