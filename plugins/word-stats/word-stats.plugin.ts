import { Expose, Plugin } from 'nestjs-plugins';

/**
 * Runs in a worker thread of its own (docs/isolation.md): text statistics are CPU work on input from
 * users, so a pathological input stalls this plugin's thread, not the host's event loop, and
 * a call past `callTimeoutMs` restarts it instead of hanging.
 */
@Plugin({
  name: 'word-stats',
  version: '1.0.0',
  description: 'Word counts and frequencies, isolated in a worker thread',
  isolation: 'thread',
  resourceLimits: { maxOldGenerationSizeMb: 64, callTimeoutMs: 2_000 },
})
export class WordStatsPlugin {
  @Expose()
  count(text: string): number {
    return words(text).length;
  }

  @Expose()
  mostFrequent(text: string, limit = 3): Array<{ word: string; count: number }> {
    const counts = new Map<string, number>();
    for (const word of words(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
    return [...counts]
      .map(([word, count]) => ({ word, count }))
      .sort((a, b) => b.count - a.count || a.word.localeCompare(b.word))
      .slice(0, limit);
  }
}

export default WordStatsPlugin;

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
}
