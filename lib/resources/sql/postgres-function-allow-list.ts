/**
 * The PostgreSQL functions a plugin's SQL may call: ordinary computation on the values it
 * reads. Anything else (pg_*, to_reg*, regclass('t'), obj_description, txid_*, lo_*, dblink*,
 * set_config, query_to_xml, pg_sleep, generate_series, brin_summarize_new_values...) reaches
 * catalogs, other objects, the session or the server, or runs away, and is refused by name
 * whether or not it exists. Set-returning functions stay out: they belong in FROM, which
 * takes tables only.
 */
export const POSTGRES_ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  // SQL forms the parser reads as calls (`x AT TIME ZONE z` is timezone(), `(a, b) OVERLAPS (c, d)` overlaps())
  'exists', 'any', 'all', 'some', 'timezone', 'overlaps', 'is_normalized', 'similar_to_escape',
  // conditional
  'coalesce', 'nullif', 'greatest', 'least', 'num_nulls', 'num_nonnulls',
  // math
  'abs', 'cbrt', 'ceil', 'ceiling', 'degrees', 'div', 'exp', 'factorial', 'floor', 'gcd', 'lcm', 'ln', 'log', 'log10',
  'min_scale', 'mod', 'pi', 'power', 'pow', 'radians', 'round', 'scale', 'sign', 'sqrt', 'trim_scale', 'trunc',
  'width_bucket', 'random', 'acos', 'acosd', 'asin', 'asind', 'atan', 'atand', 'atan2', 'atan2d', 'cos', 'cosd', 'cot',
  'cotd', 'sin', 'sind', 'tan', 'tand', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh',
  // strings and bytes
  'ascii', 'bit_length', 'btrim', 'char_length', 'character_length', 'chr', 'concat', 'concat_ws', 'format', 'initcap',
  'left', 'length', 'lower', 'lpad', 'ltrim', 'md5', 'normalize', 'octet_length', 'overlay', 'position', 'regexp_count',
  'regexp_instr', 'regexp_like', 'regexp_match', 'regexp_replace', 'regexp_split_to_array', 'regexp_substr', 'repeat',
  'replace', 'reverse', 'right', 'rpad', 'rtrim', 'split_part', 'starts_with', 'strpos', 'substr', 'substring', 'to_hex',
  'translate', 'trim', 'upper', 'quote_literal', 'quote_nullable', 'quote_ident', 'encode', 'decode', 'sha224', 'sha256',
  'sha384', 'sha512', 'convert_from', 'convert_to', 'get_byte', 'set_byte', 'get_bit', 'set_bit',
  // date and time
  'age', 'clock_timestamp', 'current_date', 'current_time', 'current_timestamp', 'date_bin', 'date_part', 'date_trunc',
  'extract', 'isfinite', 'justify_days', 'justify_hours', 'justify_interval', 'localtime', 'localtimestamp', 'make_date',
  'make_interval', 'make_time', 'make_timestamp', 'make_timestamptz', 'now', 'statement_timestamp', 'timeofday',
  'transaction_timestamp', 'to_timestamp', 'to_char', 'to_date', 'to_number',
  // aggregates
  'avg', 'bit_and', 'bit_or', 'bit_xor', 'bool_and', 'bool_or', 'count', 'every', 'max', 'min', 'sum', 'array_agg',
  'string_agg', 'json_agg', 'jsonb_agg', 'json_object_agg', 'jsonb_object_agg', 'corr', 'covar_pop', 'covar_samp',
  'regr_avgx', 'regr_avgy', 'regr_count', 'regr_intercept', 'regr_r2', 'regr_slope', 'regr_sxx', 'regr_sxy', 'regr_syy',
  'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp', 'mode', 'percentile_cont', 'percentile_disc',
  'any_value',
  // window functions
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value', 'last_value',
  'nth_value',
  // json and jsonb
  'to_json', 'to_jsonb', 'array_to_json', 'row_to_json', 'json_build_array', 'jsonb_build_array', 'json_build_object',
  'jsonb_build_object', 'json_object', 'jsonb_object', 'json_array_length', 'jsonb_array_length', 'json_extract_path',
  'jsonb_extract_path', 'json_extract_path_text', 'jsonb_extract_path_text', 'json_typeof', 'jsonb_typeof', 'jsonb_set',
  'jsonb_set_lax', 'jsonb_insert', 'json_strip_nulls', 'jsonb_strip_nulls', 'jsonb_pretty', 'jsonb_path_exists',
  'jsonb_path_match', 'jsonb_path_query_array', 'jsonb_path_query_first',
  // arrays
  'array_append', 'array_cat', 'array_dims', 'array_length', 'array_lower', 'array_ndims', 'array_position',
  'array_positions', 'array_prepend', 'array_remove', 'array_replace', 'array_to_string', 'array_upper', 'cardinality',
  'string_to_array',
  // identifiers
  'gen_random_uuid', 'uuid_generate_v4',
]);

/** Casts to these types (and arrays of them) are ordinary conversions; others (reg*, oid, pg_lsn...) reach catalogs or the server. */
export const POSTGRES_CAST_TYPE =
  /^(smallint|integer|int|int2|int4|int8|bigint|numeric|decimal|real|double precision|float|float4|float8|money|text|varchar|character varying|char|character|bpchar|name|boolean|bool|date|time|timetz|time with(out)? time zone|timestamp|timestamptz|timestamp with(out)? time zone|interval|uuid|json|jsonb|bytea|bit|bit varying|varbit|inet|cidr|macaddr|tsvector|tsquery|point|int4range|int8range|numrange|daterange|tsrange|tstzrange)(\[\])*$/;
