import type { ParseResult } from 'libpg-query';

/** PostgreSQL's own parser (libpg-query, WebAssembly): the statement tree as JSON, with byte locations. */
export type PostgresParse = (sql: string) => ParseResult;

let loading: Promise<PostgresParse> | undefined;
let loaded: PostgresParse | undefined;

/**
 * Loads the parser on first use: the module compiles its WebAssembly as soon as it is imported
 * (some 80 ms), which a host that never runs raw SQL on PostgreSQL should not pay at import.
 */
export function loadPostgresParser(): Promise<PostgresParse> {
  loading ??= import('libpg-query').then(async (parser) => {
    await parser.loadModule();
    return (loaded = parser.parseSync);
  });
  return loading;
}

/** The parser once loadPostgresParser has resolved; undefined before. */
export function loadedPostgresParser(): PostgresParse | undefined {
  return loaded;
}
