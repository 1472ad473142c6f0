import { foldIdentifier } from './sql-ast.js';
import { DEFAULT_SCHEMA, type SqlDialect } from './sql-dialect.js';
import { MigrationDenial, MigrationTokenCursor, type Name } from './migration-token-cursor.js';
import { isAllowedFunction } from './sql-statement-rules.js';
import type { SqlToken } from './sql-tokens.js';

/** The names a plugin's migration may create, alter and drop, case-folded. */
export interface MigrationNames {
  /** the plugin's real tables (on SQLite also the `temporary_<table>` copies TypeORM rebuilds them through) */
  isOwnTable(name: string): boolean;
  /** a name the plugin's sequences and enum types may take: `<plugin>_…` or `<own table>_…` */
  isOwnSequence(name: string): boolean;
}

/**
 * The migration mode's check of a schema statement (CREATE, ALTER, DROP, COMMENT): only
 * tables, indexes, sequences and enum types, and only under the plugin's names; anything else
 * (functions, triggers, views, roles, grants, extensions, owners, other schemas, CASCADE,
 * foreign keys to other tables, CREATE TABLE AS) throws MigrationDenial. Read token by token:
 * the parser reads too few DDL forms. It is the first word, not the last: on PostgreSQL the
 * statement then runs under the plugin's role, on SQLite the schema is compared before and after.
 */
export function checkSchemaStatement(tokens: readonly SqlToken[], names: MigrationNames, dialect: SqlDialect): void {
  new SchemaStatement(tokens, names, dialect).check();
}

class SchemaStatement extends MigrationTokenCursor {
  constructor(
    tokens: readonly SqlToken[],
    private readonly names: MigrationNames,
    private readonly dialect: SqlDialect,
  ) {
    super(tokens);
  }

  check(): void {
    const verb = this.nextWord();
    if (verb === 'create') this.create();
    else if (verb === 'alter') this.alter();
    else if (verb === 'drop') this.drop();
    else if (verb === 'comment' && this.dialect === 'postgresql') this.comment();
    else throw this.deniedKind();
  }

  private create(): void {
    this.accept('unique');
    if (this.accept('index')) return this.createIndex();
    const postgres = this.dialect === 'postgresql';
    if (postgres) this.accept('unlogged');
    if (this.accept('table')) return this.createTable();
    if (postgres && this.accept('sequence')) return this.createSequence();
    if (postgres && this.accept('type')) return this.createEnumType();
    throw this.deniedKind();
  }

  private createIndex(): void {
    this.accept('concurrently');
    this.acceptAll('if', 'not', 'exists');
    if (!this.is('on')) this.name();
    this.expect('on');
    this.accept('only');
    this.ownTable(this.name());
    this.scanRest();
  }

  private createTable(): void {
    this.acceptAll('if', 'not', 'exists');
    this.ownTable(this.name());
    if (this.is('as') || this.is('of')) throw new MigrationDenial(`CREATE TABLE ... ${this.nextWord().toUpperCase()}`);
    this.scanRest();
  }

  private createSequence(): void {
    this.acceptAll('if', 'not', 'exists');
    this.ownSequence(this.name());
    this.scanRest();
  }

  private createEnumType(): void {
    this.ownSequence(this.name());
    this.expect('as');
    this.expect('enum');
    this.expect('(');
    while (this.peek()?.kind === 'string') {
      this.index++;
      if (!this.acceptSymbol(',')) break;
    }
    this.expect(')');
    this.expectEnd();
  }

  private alter(): void {
    if (this.accept('table')) return this.alterTable();
    if (this.dialect === 'postgresql' && this.accept('index')) return this.alterIndex();
    if (this.dialect === 'postgresql' && this.accept('sequence')) return this.alterSequenceOrType();
    if (this.dialect === 'postgresql' && this.accept('type')) return this.alterSequenceOrType();
    throw this.deniedKind();
  }

  private alterTable(): void {
    this.acceptAll('if', 'exists');
    this.accept('only');
    this.ownTable(this.name());
    for (;;) {
      const action = this.nextWord();
      if (action === 'rename') this.renameAction((name) => this.ownTable(name));
      else if (['add', 'drop', 'alter', 'validate'].includes(action)) this.scanRest(true);
      else throw new MigrationDenial(`ALTER TABLE ... ${action.toUpperCase()}`);
      if (!this.acceptSymbol(',')) break;
    }
    this.expectEnd();
  }

  /** `RENAME TO new` (the new name checked by `renamed`), `RENAME [COLUMN|CONSTRAINT] a TO b`. */
  private renameAction(renamed: (name: Name) => void): void {
    if (this.accept('to')) return renamed(this.name());
    this.accept('column') || this.accept('constraint');
    this.name();
    this.expect('to');
    this.name();
  }

  private alterIndex(): void {
    this.acceptAll('if', 'exists');
    this.name();
    this.expect('rename');
    this.expect('to');
    this.name();
    this.expectEnd();
  }

  private alterSequenceOrType(): void {
    this.acceptAll('if', 'exists');
    this.ownSequence(this.name());
    if (this.accept('rename')) {
      if (this.accept('value')) this.scanRest();
      else this.renameAction((name) => this.ownSequence(name));
      return this.expectEnd();
    }
    this.scanRest();
  }

  private drop(): void {
    const kind = this.nextWord();
    const check = this.dropCheck(kind);
    if (kind === 'index') this.accept('concurrently');
    this.acceptAll('if', 'exists');
    do check(this.name());
    while (this.acceptSymbol(','));
    if (this.accept('cascade')) throw new MigrationDenial('CASCADE');
    this.accept('restrict');
    this.expectEnd();
  }

  /** How a dropped name is checked: indexes by the engine (their table is not in the statement). */
  private dropCheck(kind: string): (name: Name) => void {
    if (kind === 'table') return (name) => this.ownTable(name);
    if (kind === 'index') return (name) => this.schemaOf(name);
    if (this.dialect === 'postgresql' && (kind === 'sequence' || kind === 'type')) return (name) => this.ownSequence(name);
    throw new MigrationDenial(`DROP ${kind.toUpperCase()}`);
  }

  private comment(): void {
    this.expect('on');
    const kind = this.nextWord();
    if (kind === 'table') this.ownTable(this.name());
    else if (kind === 'column') this.ownTable(this.withoutLast(this.name()));
    else throw new MigrationDenial(`COMMENT ON ${kind.toUpperCase()}`);
    this.expect('is');
    const value = this.next();
    if (value?.kind !== 'string' && !(value?.kind === 'word' && value.value === 'null')) throw this.deniedKind();
    this.expectEnd();
  }

  /**
   * The rest of a definition, or of one ALTER TABLE action when `action` (up to a comma at depth
   * 0): foreign keys, LIKE, INHERITS and PARTITION OF name own tables; OWNED BY an own table's
   * column; no sub-query, CASCADE, owner, schema, trigger, rule or policy.
   */
  private scanRest(action = false): void {
    let depth = 0;
    while (this.index < this.tokens.length) {
      const token = this.tokens[this.index]!;
      if (token.kind === 'symbol') {
        if (token.value === ',' && depth === 0 && action) return;
        if (token.value === '(') depth++;
        if (token.value === ')') depth--;
        this.index++;
        continue;
      }
      if (token.kind !== 'word') {
        this.index++;
        continue;
      }
      const previous = this.tokens[this.index - 1];
      this.index++;
      const word = token.value;
      if (this.acceptSymbolAhead('(') && !PARENTHESISED_KEYWORDS.has(word)) this.functionCall(word);
      if (word === 'references' || word === 'inherits' || (word === 'of' && previous?.value === 'partition')) this.referencedTables();
      else if (word === 'like' && depth === 1 && (previous?.value === '(' || previous?.value === ',')) this.ownTable(this.name());
      else if (word === 'owned' && this.accept('by')) this.ownedBy();
      else if (FORBIDDEN_IN_DEFINITIONS.has(word) && !isReferentialAction(word, previous)) throw new MigrationDenial(word.toUpperCase());
    }
  }

  /**
   * A call in a default, check, generated column or index expression: it runs whenever a row is
   * written, also by the host's own repositories, so it may be only what the plugin's raw SQL
   * may call; on PostgreSQL `nextval`, `currval` and `setval` of its own sequences too.
   */
  private functionCall(name: string): void {
    if (this.dialect === 'postgresql' && SEQUENCE_FUNCTIONS.has(name)) {
      const argument = this.tokens[this.index + 1];
      const sequence = argument?.kind === 'string' ? foldIdentifier(argument.value.replace(/^public\./i, '')) : undefined;
      if (sequence === undefined || !this.names.isOwnSequence(sequence)) throw new MigrationDenial(argument?.kind === 'string' ? argument.value : `${name}()`);
      return;
    }
    if (!isAllowedFunction(name, this.dialect)) throw new MigrationDenial(`${name}()`);
  }

  /** `REFERENCES t`, `INHERITS (t, u)`, `PARTITION OF t`. */
  private referencedTables(): void {
    const parenthesised = this.acceptSymbol('(');
    do this.ownTable(this.name());
    while (parenthesised && this.acceptSymbol(','));
  }

  /** `OWNED BY t.c` or `OWNED BY NONE`. */
  private ownedBy(): void {
    if (this.accept('none')) return;
    this.ownTable(this.withoutLast(this.name()));
  }

  private ownTable(name: Name): void {
    if (!this.names.isOwnTable(this.schemaOf(name))) throw new MigrationDenial(name.written);
  }

  private ownSequence(name: Name): void {
    if (!this.names.isOwnSequence(this.schemaOf(name))) throw new MigrationDenial(name.written);
  }

  /** The unqualified name; a schema other than the default one is denied. */
  private schemaOf(name: Name): string {
    const { parts } = name;
    if (parts.length > 2 || (parts.length === 2 && parts[0] !== DEFAULT_SCHEMA[this.dialect])) throw new MigrationDenial(name.written);
    return parts[parts.length - 1]!;
  }

}

const SEQUENCE_FUNCTIONS: ReadonlySet<string> = new Set(['nextval', 'currval', 'setval']);

/**
 * Words a definition follows with a parenthesis that are not calls: clauses, index methods and
 * type names that take a length or precision.
 */
const PARENTHESISED_KEYWORDS: ReadonlySet<string> = new Set([
  'key', 'check', 'unique', 'references', 'foreign', 'primary', 'exclude', 'using', 'include', 'with', 'where', 'default',
  'as', 'in', 'values', 'inherits', 'by', 'on', 'from', 'to', 'generated', 'identity', 'stored', 'virtual', 'array', 'row',
  'any', 'all', 'some', 'exists', 'not', 'null', 'and', 'or', 'like', 'between', 'when', 'then', 'else', 'case', 'cast',
  'filter', 'over', 'is', 'range', 'list', 'hash', 'btree', 'gin', 'gist', 'spgist', 'brin', 'nulls', 'distinct',
  'varchar', 'char', 'character', 'varying', 'nchar', 'nvarchar', 'numeric', 'decimal', 'float', 'double', 'real', 'bit',
  'varbit', 'time', 'timestamp', 'interval', 'int', 'integer', 'bigint', 'smallint', 'tinyint', 'mediumint', 'blob', 'clob',
  'datetime', 'vector', 'halfvec', 'sparsevec', 'geometry', 'geography',
]);

/** `ON DELETE CASCADE` between the plugin's own tables (REFERENCES has checked the other one). */
function isReferentialAction(word: string, previous: SqlToken | undefined): boolean {
  return word === 'cascade' && previous?.kind === 'word' && (previous.value === 'delete' || previous.value === 'update');
}

/**
 * Words that have no place in a table, index or sequence definition a plugin writes: they
 * would read other tables (SELECT), drop others' objects (CASCADE), or hand the object to
 * another role, schema or code (OWNER, SCHEMA, TRIGGER, RULE, POLICY, TABLESPACE, ATTACH).
 */
const FORBIDDEN_IN_DEFINITIONS: ReadonlySet<string> = new Set([
  'select', 'cascade', 'owner', 'schema', 'trigger', 'rule', 'policy', 'tablespace', 'attach', 'detach', 'inherit',
]);
