/**
 * From this length on, a statement's text is analysed as written rather than by shape, and
 * parsed in a worker thread rather than on the event loop (see SqlGuard.prepareLong).
 */
export const LONG_SQL_CHARS = 4096;
