import { pathToFileURL } from 'node:url';
import { PluginLoadError } from '../errors/index.js';
import { isPluginClass, type PluginClass } from '../metadata/plugin-metadata.accessor.js';
import { rememberPluginModuleFile } from '../metadata/plugin-module-file.js';
import { pluginExportProblem } from './plugin-export-problem.js';

export interface PluginImportOptions {
  /**
   * Evaluate the file again: ES modules are cached by URL, so a query makes a new URL. The old
   * module stays in memory, as Node cannot evict ES modules, and files the plugin imports
   * itself are not re-evaluated.
   */
  fresh?: boolean;
  /** Rewrites the message of a failed import before it goes into the error (to keep host paths out). */
  describeFailure?: (message: string) => string;
}

let freshImports = 0;

/**
 * Imports an absolute module file whose default export must be a `@Plugin` class; failures
 * are `PluginLoadError`s about `label`.
 */
export async function importDefaultPluginClass(file: string, label: string, { fresh = false, describeFailure = (message) => message }: PluginImportOptions = {}): Promise<PluginClass> {
  const url = pathToFileURL(file).href + (fresh ? `?reload=${++freshImports}` : '');
  let exports: Record<string, unknown>;
  try {
    exports = await import(url);
  } catch (cause) {
    throw new PluginLoadError(label, `import failed: ${describeFailure(cause instanceof Error ? cause.message : String(cause))}`, { cause });
  }
  if (!isPluginClass(exports.default)) {
    throw new PluginLoadError(label, pluginExportProblem(exports));
  }
  // An isolated plugin's guest imports the same file.
  rememberPluginModuleFile(exports.default, file);
  return exports.default;
}
