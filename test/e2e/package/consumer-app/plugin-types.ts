import type { ScoresPlugin } from './scores.plugin.js';

// Typed calls from the packed declarations: a wrong call must not compile.
declare module 'nestjs-plugins' {
  interface PluginTypes {
    scores: Pick<ScoresPlugin, 'addScore'>;
  }
}
