/** The library's own cluster tables: unprefixed, like the shared data table, so no plugin can declare them. */
export const CLUSTER_TABLES = {
  revision: 'plugin_cluster_revision',
  desired: 'plugin_cluster_desired',
  nodes: 'plugin_cluster_nodes',
  services: 'plugin_cluster_services',
  dependencies: 'plugin_cluster_dependencies',
} as const;

/**
 * The SQL cluster mode runs, for SQLite and PostgreSQL alike (`ON CONFLICT`, `RETURNING`,
 * double-quoted identifiers; integers for booleans and epoch milliseconds); only the
 * placeholders differ, which `param` writes. Each statement's parameters are listed in order,
 * each used once, so `?` (SQLite) and `$n` (PostgreSQL) bind alike.
 */
export function clusterStatements(param: (index: number) => string) {
  const p = Array.from({ length: 8 }, (_, index) => param(index));
  const t = CLUSTER_TABLES;
  return {
    schema: [
      `CREATE TABLE IF NOT EXISTS "${t.revision}" ("id" integer PRIMARY KEY, "revision" bigint NOT NULL)`,
      `INSERT INTO "${t.revision}" ("id", "revision") VALUES (1, 0) ON CONFLICT ("id") DO NOTHING`,
      `CREATE TABLE IF NOT EXISTS "${t.desired}" ("name" text PRIMARY KEY, "source" text, "loaded" integer NOT NULL, "revision" bigint NOT NULL, "version" text)`,
      `CREATE TABLE IF NOT EXISTS "${t.nodes}" ("node_id" text PRIMARY KEY, "heartbeat_at" bigint NOT NULL, "revision" bigint NOT NULL, "plugins" text NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS "${t.services}" ("id" text PRIMARY KEY, "tenant_id" text NOT NULL, "plugin_id" text NOT NULL, "service_name" text NOT NULL, ` +
        `"registration" text NOT NULL, "registered_at" bigint NOT NULL, "heartbeat_at" bigint, UNIQUE ("tenant_id", "plugin_id", "service_name"))`,
      `CREATE TABLE IF NOT EXISTS "${t.dependencies}" ("tenant_id" text NOT NULL, "plugin_id" text NOT NULL, "depends_on" text NOT NULL, ` +
        `"registration" text NOT NULL, PRIMARY KEY ("tenant_id", "plugin_id", "depends_on"))`,
    ],
    /** Columns added after the tables first shipped: a store created by an older version gains them (probe, then add). */
    addedColumns: [
      { probe: `SELECT "version" FROM "${t.desired}" WHERE 1 = 0`, add: `ALTER TABLE "${t.desired}" ADD COLUMN "version" text` },
      { probe: `SELECT "rates" FROM "${t.nodes}" WHERE 1 = 0`, add: `ALTER TABLE "${t.nodes}" ADD COLUMN "rates" text` },
    ],
    /** () → revision */
    revision: `SELECT "revision" FROM "${t.revision}" WHERE "id" = 1`,
    /** () → the new revision; the row lock orders concurrent writers */
    nextRevision: `UPDATE "${t.revision}" SET "revision" = "revision" + 1 WHERE "id" = 1 RETURNING "revision"`,
    /** (name, source, loaded, revision, version) */
    writeDesired:
      `INSERT INTO "${t.desired}" ("name", "source", "loaded", "revision", "version") VALUES (${p[0]}, ${p[1]}, ${p[2]}, ${p[3]}, ${p[4]}) ` +
      `ON CONFLICT ("name") DO UPDATE SET "source" = excluded."source", "loaded" = excluded."loaded", "revision" = excluded."revision", "version" = excluded."version"`,
    desired: `SELECT "name", "source", "loaded", "revision", "version" FROM "${t.desired}"`,
    /** (nodeId, heartbeatAt, revision, plugins JSON, rates JSON) */
    beat:
      `INSERT INTO "${t.nodes}" ("node_id", "heartbeat_at", "revision", "plugins", "rates") VALUES (${p[0]}, ${p[1]}, ${p[2]}, ${p[3]}, ${p[4]}) ` +
      `ON CONFLICT ("node_id") DO UPDATE SET "heartbeat_at" = excluded."heartbeat_at", "revision" = excluded."revision", "plugins" = excluded."plugins", "rates" = excluded."rates"`,
    nodes: `SELECT "node_id", "heartbeat_at", "revision", "plugins", "rates" FROM "${t.nodes}" ORDER BY "node_id"`,
    /** (id, tenantId, pluginId, serviceName, registration JSON, registeredAt) → the id kept */
    registerService:
      `INSERT INTO "${t.services}" ("id", "tenant_id", "plugin_id", "service_name", "registration", "registered_at", "heartbeat_at") ` +
      `VALUES (${p.slice(0, 6).join(', ')}, NULL) ON CONFLICT ("tenant_id", "plugin_id", "service_name") DO UPDATE SET ` +
      `"registration" = excluded."registration", "registered_at" = excluded."registered_at", "heartbeat_at" = NULL RETURNING "id"`,
    /** (tenantId, pluginId, serviceName) */
    deregisterService: `DELETE FROM "${t.services}" WHERE "tenant_id" = ${p[0]} AND "plugin_id" = ${p[1]} AND "service_name" = ${p[2]}`,
    /** (heartbeatAt, id, heartbeatAt): never moves a heartbeat back */
    heartbeat: `UPDATE "${t.services}" SET "heartbeat_at" = ${p[0]} WHERE "id" = ${p[1]} AND ("heartbeat_at" IS NULL OR "heartbeat_at" < ${p[2]})`,
    services: `SELECT "id", "tenant_id", "registration", "registered_at", "heartbeat_at" FROM "${t.services}" ORDER BY "registered_at", "id"`,
    /** (tenantId, pluginId, dependsOn, registration JSON) */
    registerDependency:
      `INSERT INTO "${t.dependencies}" ("tenant_id", "plugin_id", "depends_on", "registration") VALUES (${p[0]}, ${p[1]}, ${p[2]}, ${p[3]}) ` +
      `ON CONFLICT ("tenant_id", "plugin_id", "depends_on") DO UPDATE SET "registration" = excluded."registration"`,
    dependencies: `SELECT "tenant_id", "registration" FROM "${t.dependencies}"`,
  };
}

export type ClusterStatements = ReturnType<typeof clusterStatements>;
