/**
 * Why a piece of SQL is refused whatever the plugin may access (it cannot be parsed, is not
 * a SELECT/INSERT/UPDATE/DELETE, calls a dangerous function...). The guard caches it with
 * the SQL and turns it into a SqlNotAllowedError naming the plugin that asked.
 */
export class SqlRefusal extends Error {}
