/** The name the row declares; `SHARED_DATA_TABLE` is what it is really called. */
export const SHARED_DATA_DECLARED_TABLE = 'shared_data';
/** The library's own table: not prefixed by any plugin. */
export const SHARED_DATA_TABLE = 'plugin_shared_data';
