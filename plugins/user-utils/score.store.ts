import { Injectable } from '@nestjs/common';
import { Expose } from 'nestjs-plugins';

/** In-memory scores. A provider rather than plugin-class state, so @Expose on a provider is shown too. */
@Injectable()
export class ScoreStore {
  private readonly scores = new Map<string, number>();

  get(userId: string): number {
    return this.scores.get(userId) ?? 0;
  }

  add(userId: string, points: number): number {
    const score = this.get(userId) + points;
    this.scores.set(userId, score);
    return score;
  }

  @Expose()
  resetScore(userId: string): void {
    this.scores.delete(userId);
  }
}
