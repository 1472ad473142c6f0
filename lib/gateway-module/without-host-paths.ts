import { pathToFileURL } from 'node:url';

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
      result = result.split(`${form}/`).join('').split(form).join('.');
    }
  }
  return result;
}
