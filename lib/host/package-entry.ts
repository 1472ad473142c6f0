/** The conditions an `import` in Node matches (`default` always does). */
const IMPORT_CONDITIONS: ReadonlySet<string> = new Set(['node', 'import', 'module-sync', 'default']);

/** The fields of a package.json that decide what `import('<package>')` loads, and how the host reads it. */
export interface PackageManifest {
  readonly exports?: unknown;
  readonly main?: unknown;
  /** `{ "isolation": "process" }`: the host never imports the package itself (docs/isolation.md) */
  readonly nestjsPlugin?: unknown;
}

/**
 * The files, relative to the package directory, that `import('<package>')` may load, in the
 * order Node's ES module resolver tries them. With `exports`, its `.` entry under the
 * conditions `node`, `import`, `module-sync`, `default` (one file, or none when it exports
 * nothing for `import`); without, `main` and then `index.js`, as Node's legacy resolution.
 */
export function packageEntryCandidates(manifest: PackageManifest): string[] {
  if (manifest.exports !== undefined && manifest.exports !== null) {
    const target = exportTarget(rootExport(manifest.exports));
    return target === undefined ? [] : [target];
  }
  const main = typeof manifest.main === 'string' && manifest.main !== '' ? manifest.main : undefined;
  return [...(main === undefined ? [] : [main, `${main}.js`, `${main}/index.js`]), 'index.js'];
}

/** `exports` is either the `.` entry itself or a map of subpaths (keys starting with `.`). */
function rootExport(exports: unknown): unknown {
  const isSubpathMap = typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports as object).some((key) => key.startsWith('.'));
  return isSubpathMap ? (exports as Record<string, unknown>)['.'] : exports;
}

/**
 * A target as Node resolves it: a `./` path inside the package, the first usable item of
 * an array, or the first matching condition (in the object's order) whose target is usable.
 */
function exportTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return target.startsWith('./') && !target.split(/[\\/]/).includes('..') ? target : undefined;
  if (Array.isArray(target)) {
    for (const item of target) {
      const resolved = exportTarget(item);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [condition, nested] of Object.entries(target)) {
      if (!IMPORT_CONDITIONS.has(condition)) continue;
      const resolved = exportTarget(nested);
      if (resolved !== undefined) return resolved;
    }
  }
  return undefined;
}
