/**
 * The ordinary SQLite functions a plugin may call: core scalars, math, date and time, JSON,
 * aggregates and window functions. Left out: what reads the connection the host shares
 * (`changes`, `total_changes`, `last_insert_rowid`), the build (`sqlite_version`,
 * `sqlite_source_id`, `sqlite_compileoption_*`), `load_extension`, the FTS, R-tree and
 * geopoly helpers, and every function the host or an extension registers.
 */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  // core scalar
  'abs', 'char', 'coalesce', 'concat', 'concat_ws', 'format', 'glob', 'hex', 'if', 'ifnull', 'iif', 'instr', 'length',
  'like', 'likelihood', 'likely', 'lower', 'ltrim', 'max', 'min', 'nullif', 'octet_length', 'printf', 'quote',
  'random', 'randomblob', 'replace', 'round', 'rtrim', 'sign', 'soundex', 'substr', 'substring', 'trim', 'typeof',
  'unhex', 'unicode', 'unistr', 'unistr_quote', 'unlikely', 'upper', 'zeroblob',
  // math
  'acos', 'acosh', 'asin', 'asinh', 'atan', 'atan2', 'atanh', 'ceil', 'ceiling', 'cos', 'cosh', 'degrees', 'exp',
  'floor', 'ln', 'log', 'log10', 'log2', 'mod', 'pi', 'pow', 'power', 'radians', 'sin', 'sinh', 'sqrt', 'tan', 'tanh',
  'trunc',
  // date and time
  'date', 'time', 'datetime', 'julianday', 'unixepoch', 'strftime', 'timediff', 'current_date', 'current_time',
  'current_timestamp',
  // JSON (json_each and json_tree are table-valued: refused as virtual tables)
  'json', 'jsonb', 'json_array', 'jsonb_array', 'json_array_length', 'json_error_position', 'json_extract',
  'jsonb_extract', 'json_insert', 'jsonb_insert', 'json_object', 'jsonb_object', 'json_patch', 'jsonb_patch',
  'json_pretty', 'json_remove', 'jsonb_remove', 'json_replace', 'jsonb_replace', 'json_set', 'jsonb_set', 'json_type',
  'json_valid', 'json_quote', 'json_group_array', 'jsonb_group_array', 'json_group_object', 'jsonb_group_object',
  '->', '->>',
  // aggregates
  'avg', 'count', 'group_concat', 'string_agg', 'sum', 'total', 'median', 'percentile', 'percentile_cont',
  'percentile_disc',
  // window functions
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value',
  'last_value', 'nth_value',
]);

/**
 * Allowed functions whose cost is not linear in the size of their arguments: they make values
 * of a size the caller picks (`randomblob(1e9)`, `printf('%*d', 1e9, 1)`), multiply sizes
 * (`replace`, and `hex`/`quote` nested), or compare strings in O(n·m) (`instr`, `like`, `glob`,
 * `trim` with a set of characters). A program that calls one is not bounded.
 */
export const SUPERLINEAR_FUNCTIONS: ReadonlySet<string> = new Set([
  'randomblob', 'zeroblob', 'printf', 'format', 'replace', 'hex', 'quote', 'unistr_quote', 'json_quote', 'json_pretty',
  'instr', 'like', 'glob', 'trim', 'ltrim', 'rtrim',
]);

/** `upper(1)` -> `upper`: how EXPLAIN names a called function in P4. */
export function calledFunctionName(p4: string | number | null): string {
  const text = String(p4 ?? '');
  const open = text.lastIndexOf('(');
  return (open < 0 ? text : text.slice(0, open)).toLowerCase();
}
