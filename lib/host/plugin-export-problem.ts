import { relative } from 'node:path';
import { isPluginClass } from '../metadata/plugin-metadata.accessor.js';
import { otherDecoratingCopy } from '../metadata/shared-declarations.js';

/**
 * Why a module's default export is not a plugin this copy of the library can register, and
 * what to do about it. Paths are relative to the application's directory: no host path leaks.
 */
export function pluginExportProblem(exports: Record<string, unknown>): string {
  const other = otherDecoratingCopy(exports.default);
  if (other !== undefined) {
    return (
      `its default export was decorated by another copy of nestjs-plugins (${relative(process.cwd(), other.directory) || '.'}) that records plugins differently: ` +
      'declare nestjs-plugins in the plugin package\'s peerDependencies, and install the application so that one copy remains (`npm dedupe`, or a workspace)'
    );
  }
  const named = Object.entries(exports).find(([name, value]) => name !== 'default' && isPluginClass(value));
  const hint = named === undefined ? '' : ` (it exports the plugin ${named[0]} by name: add \`export default ${named[0]};\`)`;
  return `its default export is not a class decorated with @Plugin()${hint}`;
}
