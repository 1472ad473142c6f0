import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { InjectPluginContext, type PluginContext } from 'nestjs-plugins';

interface AwardBody {
  userId?: unknown;
  points?: unknown;
}

/** Mounted by the library under `/plugins/leaderboard/`. Scores live in `user-utils`, reached through the context. */
@Controller()
export class LeaderboardController {
  constructor(@InjectPluginContext() private readonly ctx: PluginContext) {}

  @Post('award')
  @HttpCode(200) // an action on existing state, not a created resource
  async award(@Body() body: AwardBody = {}): Promise<{ userId: string; newScore: number }> {
    const { userId, points } = body;
    if (typeof userId !== 'string' || userId === '') throw new BadRequestException('userId must be a non-empty string');
    if (typeof points !== 'number' || !Number.isFinite(points)) throw new BadRequestException('points must be a finite number');
    return { userId, newScore: await this.ctx.call('user-utils', 'addScore', userId, points) };
  }

  @Get('score/:userId')
  async score(@Param('userId') userId: string): Promise<{ userId: string; score: number }> {
    return { userId, score: await this.ctx.call('user-utils', 'getScore', userId) };
  }
}
