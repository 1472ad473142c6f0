import { QueryFailedError } from 'typeorm';
import { SqlNotAllowedError } from '../../../errors/index.js';
import type { ResourcePolicy } from '../../resource-policy.js';
import type { PreparedStatement } from '../../sql/prepared-statement.js';
import type { PluginSqlScope } from '../sql-engine.interface.js';
import { findProgramRefusal, type ProgramObjects, type ProgramRefusal } from './program-access.js';
import { isBoundedProgram } from './program-cost.js';
import { ShadowSchema, ownTables } from './shadow-schema.js';
import { compiledProgram, type SqliteConnection, type SqliteStatement } from './sqlite-connection.js';
import { foldName, SqliteSchemaSnapshot } from './sqlite-schema-snapshot.js';

/**
 * How often a cache hit looks at `schema_version`: reading it costs as much as a small query,
 * and even reading the clock costs more than the look-up, so a one-shot timer raises a flag.
 */
const SCHEMA_CHECK_INTERVAL_MS = 1000;

/** Verdicts kept per policy; statement texts repeat by shape, so this is a bound, not a working set. */
const MAX_VERDICTS_PER_POLICY = 2000;

/** Written by AUTOINCREMENT inserts into the plugin's own tables; never nameable (the shadow schema has none). */
const SEQUENCE_TABLE = 'sqlite_sequence';

const VIRTUAL_TABLE_OPCODE = /^V[A-Z]/;

/**
 * SQLite's last word on a plugin's statement: it is compiled twice, against a shadow schema
 * holding only the plugin's tables (what it names) and against the real database (what will
 * run), and each program must stay inside those tables and the allowed functions. The verdict
 * (whether the real program is bounded) is cached by statement text per policy, and the cache
 * is dropped when `schema_version` moves: the check runs on every cache miss, after any
 * statement of the host's DataSource that may change the schema, and otherwise at most once
 * per second (for changes made by another connection).
 */
export class SqliteStatementVerifier {
  private snapshot?: SqliteSchemaSnapshot;
  private schemaCheckDue = true;
  private schemaTimerArmed = false;
  private schemaVersion?: SqliteStatement;
  private verdicts = new WeakMap<ResourcePolicy, Map<string, boolean>>();
  /** The last verdict given: a statement repeated in a loop skips both look-ups. Dropped with the verdicts. */
  private last?: { readonly sql: string; readonly policy: ResourcePolicy; readonly bounded: boolean };
  private readonly shadows = new Map<string, ShadowSchema>();

  constructor(private readonly connection: SqliteConnection) {}

  /**
   * The host ran something on the DataSource that may have changed the schema (DDL, VACUUM, a
   * rolled-back transaction...): the next statement reads `schema_version` before trusting a
   * cached verdict, so a table swapped for a view is seen at once.
   */
  schemaMayHaveChanged(): void {
    this.schemaCheckDue = true;
  }

  /** Closes the shadow schemas; a verifier built for one migration releases them when the statement is checked. */
  close(): void {
    for (const shadow of this.shadows.values()) shadow.close();
    this.shadows.clear();
  }

  /** Whether the statement is bounded (may run in-process); throws when it reaches outside the plugin's scope. */
  verify(statement: PreparedStatement, scope: PluginSqlScope): boolean {
    if (this.schemaCheckDue) this.currentSnapshot();
    const last = this.last;
    if (last !== undefined && statement.sql === last.sql && scope.policy === last.policy) return last.bounded;
    let verdicts = this.verdicts.get(scope.policy);
    let bounded = verdicts?.get(statement.sql);
    if (bounded === undefined) {
      bounded = this.analyze(statement, scope);
      verdicts = this.verdicts.get(scope.policy) ?? new Map<string, boolean>();
      if (verdicts.size >= MAX_VERDICTS_PER_POLICY) verdicts.delete(verdicts.keys().next().value!);
      this.verdicts.set(scope.policy, verdicts.set(statement.sql, bounded));
    }
    this.last = { sql: statement.sql, policy: scope.policy, bounded };
    return bounded;
  }

  private analyze(statement: PreparedStatement, scope: PluginSqlScope): boolean {
    const snapshot = this.currentSnapshot();
    const own = ownTables(scope.policy.realTableNames);
    const shadow = this.shadowFor(own, snapshot);
    let named;
    try {
      named = compiledProgram(shadow.connection, statement.sql, statement.params);
    } catch (error) {
      throw compileRefusal(error, statement, own, scope);
    }
    refuse(findProgramRefusal(named, shadow.objects), scope);
    let running;
    try {
      running = compiledProgram(this.connection, statement.sql, statement.params);
    } catch (error) {
      throw new QueryFailedError(statement.sql, [...statement.params], error as Error);
    }
    const realObjects: ProgramObjects = {
      tableAt: (rootPage) => snapshot.tableAt(rootPage),
      allows: (table) => own.has(table) || table === SEQUENCE_TABLE,
    };
    refuse(findProgramRefusal(running, realObjects), scope);
    return isBoundedProgram(running);
  }

  /** The schema as it is now; a new version drops every verdict and shadow built on the old one. */
  private currentSnapshot(): SqliteSchemaSnapshot {
    this.schemaVersion ??= this.connection.prepare('PRAGMA main.schema_version').pluck();
    const version = Number(this.schemaVersion.get());
    this.schemaCheckDue = false;
    this.armSchemaCheck();
    if (this.snapshot?.version === version) return this.snapshot;
    this.verdicts = new WeakMap();
    this.last = undefined;
    for (const shadow of this.shadows.values()) shadow.close();
    this.shadows.clear();
    return (this.snapshot = SqliteSchemaSnapshot.read(this.connection));
  }

  /** One pending timer at most, and none once statements stop coming: nothing to clean up. */
  private armSchemaCheck(): void {
    if (this.schemaTimerArmed) return;
    this.schemaTimerArmed = true;
    setTimeout(() => {
      this.schemaTimerArmed = false;
      this.schemaCheckDue = true;
    }, SCHEMA_CHECK_INTERVAL_MS).unref();
  }

  private shadowFor(own: ReadonlySet<string>, snapshot: SqliteSchemaSnapshot): ShadowSchema {
    const key = [...own].sort().join('\n');
    let shadow = this.shadows.get(key);
    if (shadow === undefined) {
      shadow = ShadowSchema.build(this.connection, snapshot.definitionsOf(own), own);
      this.shadows.set(key, shadow);
    }
    return shadow;
  }
}

function refuse(refusal: ProgramRefusal | undefined, scope: PluginSqlScope): void {
  if (refusal === undefined) return;
  if (refusal.kind === 'table') throw scope.policy.denied('table', refusal.name);
  if (refusal.kind === 'function') throw functionRefusal(scope, refusal.name);
  const reason = VIRTUAL_TABLE_OPCODE.test(refusal.opcode)
    ? 'virtual tables and table-valued functions are not allowed'
    : `SQLite operation ${refusal.opcode} is not allowed`;
  throw new SqlNotAllowedError(scope.pluginName, reason);
}

function functionRefusal(scope: PluginSqlScope, name: string): SqlNotAllowedError {
  return new SqlNotAllowedError(scope.pluginName, `function ${name}() is not allowed`);
}

/**
 * Why the shadow schema could not compile the statement. A table it lacks is one the plugin may
 * not touch, whether or not the host's database has it (unless it is one of the plugin's own,
 * not created yet); a function it lacks is one the host registered.
 */
function compileRefusal(error: unknown, statement: PreparedStatement, own: ReadonlySet<string>, scope: PluginSqlScope): unknown {
  // Not `instanceof Error`: the driver's errors may come from another realm (a vm context, a test runner's sandbox).
  const message = String((error as { message?: unknown } | null)?.message ?? '');
  const table = /^no such table: (.+)$/.exec(message)?.[1];
  if (table !== undefined && !own.has(unqualified(foldName(table)))) return scope.policy.denied('table', foldName(table));
  const fn = /^no such function: (.+)$/.exec(message)?.[1];
  if (fn !== undefined) return functionRefusal(scope, foldName(fn));
  return new QueryFailedError(statement.sql, [...statement.params], error as Error);
}

function unqualified(name: string): string {
  return name.startsWith('main.') ? name.slice('main.'.length) : name;
}
