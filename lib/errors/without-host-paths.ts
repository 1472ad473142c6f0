import { homedir, tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';

/** Where a host's own files are: the working, temporary and home directories. */
export function hostDirectories(): string[] {
  return [process.cwd(), tmpdir(), homedir()];
}

/**
 * `text` with every mention of the given directories made relative: `/srv/app/plugins/x.js`
 * and `file:///srv/app/plugins/x.js` become `x.js`, the directory alone becomes `.`. The
 * deepest directory wins, so a file in runtimePluginsDir is named as the request named it.
 */
export function withoutHostPaths(text: string, directories: readonly string[]): string {
  let result = text;
  const deepestFirst = directories.filter((directory) => directory.length > 1).sort((a, b) => b.length - a.length);
  for (const directory of deepestFirst) {
    for (const form of [pathToFileURL(directory).href, directory]) {
      // The directory itself or a path below it, not a sibling that starts alike (`/srv/app2`).
      const mention = new RegExp(`${escapeRegExp(form)}(/|(?![\\w@+-]|\\.\\w))`, 'g');
      result = result.replace(mention, (_whole, slash: string) => (slash === '/' ? '' : '.'));
    }
  }
  return result;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
