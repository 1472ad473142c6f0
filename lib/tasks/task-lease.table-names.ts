/** The name the lease row declares; `TASK_LEASE_TABLE` is what it is really called. */
export const TASK_LEASE_DECLARED_TABLE = 'task_leases';
/** The library's own table: not prefixed by any plugin. */
export const TASK_LEASE_TABLE = 'plugin_task_leases';
