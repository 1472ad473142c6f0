import type { ParseResult } from 'libpg-query';

/** PostgreSQL's own parser (libpg-query, WebAssembly): the statement tree as JSON, with byte locations. */
export type PostgresParse = (sql: string) => ParseResult;

/** The parts of libpg-query's Emscripten module that a parse uses, as the package's own `parseSync` uses them. */
interface PgQueryModule {
  /** the WebAssembly memory; replaced (on the module too) when it grows */
  readonly HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  /** a PgQueryParseResult: the tree's JSON, the stderr buffer, the error (message, funcname, filename, lineno, cursorpos) */
  _wasm_parse_query_raw(query: number): number;
  _wasm_free_parse_result(result: number): void;
}

/** The module itself: its package entry instantiates one more copy at import, which the host would not use. */
const MODULE = 'libpg-query/wasm/libpg-query.js';

let loading: Promise<PostgresParse> | undefined;
let loaded: PostgresParse | undefined;

/**
 * Loads the parser on first use: the module compiles its WebAssembly as soon as it is imported
 * (some 80 ms), which a host that never runs raw SQL on PostgreSQL should not pay at import.
 */
export function loadPostgresParser(): Promise<PostgresParse> {
  loading ??= (import(MODULE) as Promise<{ default: () => Promise<PgQueryModule> }>).then(async ({ default: instantiate }) => (loaded = parserOf(await instantiate())));
  return loading;
}

/** The parser once loadPostgresParser has resolved; undefined before. */
export function loadedPostgresParser(): PostgresParse | undefined {
  return loaded;
}

/**
 * libpg-query's `parseSync`, with the text copied in and the tree's JSON read out by the
 * engine's own UTF-8 encoder and decoder rather than character by character in JavaScript
 * (some 10 % of a first analysis). Errors carry `sqlDetails.cursorPosition` as the package's do.
 */
function parserOf(module: PgQueryModule): PostgresParse {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return (sql) => {
    if (sql === '') throw new Error('Query cannot be empty');
    // At most three UTF-8 bytes per UTF-16 unit, and the terminating zero.
    const size = sql.length * 3 + 1;
    const query = module._malloc(size);
    let result = 0;
    try {
      const { written } = encoder.encodeInto(sql, module.HEAPU8.subarray(query, query + size - 1));
      module.HEAPU8[query + written] = 0;
      result = module._wasm_parse_query_raw(query);
      if (result === 0) throw new Error('Failed to parse query: memory allocation failed');
      const heap = module.HEAPU8;
      const view = new DataView(heap.buffer);
      const error = view.getInt32(result + 8, true);
      if (error !== 0) {
        const message = stringAt(heap, view.getInt32(error, true), decoder) || 'Unknown error';
        const cursor = view.getInt32(error + 16, true);
        throw Object.assign(new Error(message), { sqlDetails: { message, cursorPosition: cursor > 0 ? cursor - 1 : 0 } });
      }
      return JSON.parse(stringAt(heap, view.getInt32(result, true), decoder)) as ParseResult;
    } finally {
      module._free(query);
      if (result !== 0) module._wasm_free_parse_result(result);
    }
  };
}

function stringAt(heap: Uint8Array, pointer: number, decoder: TextDecoder): string {
  return pointer === 0 ? '' : decoder.decode(heap.subarray(pointer, heap.indexOf(0, pointer)));
}
