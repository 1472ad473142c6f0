/** What `user-utils` exposes: split between the plugin class and `ScoreStore`, so no single class has it all. */
export interface UserUtilsApi {
  /** 0 for a user without points */
  getScore(userId: string): Promise<number>;
  /** resolves to the new score */
  addScore(userId: string, points: number): Promise<number>;
  resetScore(userId: string): Promise<void>;
}
