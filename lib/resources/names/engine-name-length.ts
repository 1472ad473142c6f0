import { InvalidPluginMetadataError } from '../../errors/index.js';

/**
 * PostgreSQL keeps the first 63 bytes of an identifier (NAMEDATALEN - 1) and drops the rest
 * without an error, so two long names can become one object. The limit is applied whatever
 * the database: a plugin that works on SQLite must not share a table once moved to PostgreSQL.
 */
export const MAX_ENGINE_NAME_BYTES = 63;

/** A name the engine will hold, and how to name it in a problem. */
export interface EngineName {
  /** e.g. `table "loot"` or `index of entity Note` */
  readonly what: string;
  readonly realName: string;
}

/**
 * One problem per name longer than the engine keeps, e.g.
 * `table "loot" is 73 bytes as "<real name>"; PostgreSQL allows 63`. The real name is quoted
 * whole: the problem must never show the truncated name, which may be another plugin's.
 */
export function engineNameProblems(names: Iterable<EngineName>): string[] {
  const problems: string[] = [];
  for (const { what, realName } of names) {
    const bytes = Buffer.byteLength(realName, 'utf8');
    if (bytes > MAX_ENGINE_NAME_BYTES) problems.push(`${what} is ${bytes} bytes as "${realName}"; PostgreSQL allows ${MAX_ENGINE_NAME_BYTES}`);
  }
  return problems;
}

/** Throws `InvalidPluginMetadataError` listing every name of the plugin the engine would cut. */
export function assertEngineNamesFit(pluginName: string, names: Iterable<EngineName>): void {
  const problems = engineNameProblems(names);
  if (problems.length > 0) throw new InvalidPluginMetadataError(`plugin "${pluginName}"`, problems);
}
