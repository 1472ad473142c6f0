import type { PreparedStatement } from './prepared-statement.js';
import type { SqlDialect } from './sql-dialect.js';
import { sqliteMarkerIndex, type SqlLiteral, type SqlShape } from './sql-shape.js';
import { splitSqlText } from './sql-text.js';

/** A `?` of the caller (literal undefined), or a literal bound as `?` or put back as written. */
interface Slot {
  readonly literal?: number;
  readonly inline: boolean;
}

/** What a shape's printed statements must hold: each literal marker once, and the caller's `?`. */
export interface ShapeMarkers extends Pick<SqlShape, 'firstMarker' | 'positionalCount'> {
  readonly literalCount: number;
}

/** SQLite: the caller's `?` and the literal markers. PostgreSQL: the markers, never inside an identifier (`a$1`). */
const SQLITE_SLOT = /\?|:SQL_GUARD_LITERAL_\d+/g;
const POSTGRES_MARKER = /(?<![\w$\u0080-\uffff])\$\d+/g;
/** A neighbour that a literal or `?` written right beside it would join into another token. */
const GLUES_BEFORE = /[\w$.'"`\]\u0080-\uffff]/;
const GLUES_AFTER = /[\w$.'"`[\u0080-\uffff]/;

/**
 * One rewritten statement of a shape, cut at its markers, filled per call: literals are bound
 * in text order among the caller's `?` (SQLite) or put back where they were (the inline set,
 * and every literal on PostgreSQL, whose role has the last word).
 */
export class StatementTemplate {
  /** The text when it does not depend on the literals' values. */
  private readonly fixedSql?: string;
  private readonly boundLiterals: number;
  readonly positionalCount: number;

  private constructor(
    private readonly parts: readonly string[],
    private readonly slots: readonly Slot[],
  ) {
    this.boundLiterals = slots.filter((slot) => slot.literal !== undefined && !slot.inline).length;
    this.positionalCount = slots.filter((slot) => slot.literal === undefined).length;
    if (slots.every((slot) => !slot.inline)) this.fixedSql = internalized(this.render(() => ''));
  }

  /**
   * The printed statements of a shape as templates; undefined unless every literal marker is
   * there exactly once and every `?` of the caller too, as a token of code.
   */
  static fromPrinted(printed: readonly string[], shape: ShapeMarkers, inline: ReadonlySet<number>, dialect: SqlDialect): StatementTemplate[] | undefined {
    const seen = new Set<number>();
    let positional = 0;
    const templates: StatementTemplate[] = [];
    for (const statement of printed) {
      const parts: string[] = [];
      const slots: Slot[] = [];
      let pending = '';
      for (const part of splitSqlText(statement, dialect)) {
        if (part.kind !== 'code') {
          pending += part.text;
          continue;
        }
        let from = 0;
        for (const match of part.text.matchAll(dialect === 'sqlite' ? SQLITE_SLOT : POSTGRES_MARKER)) {
          const literal = dialect === 'sqlite' ? sqliteMarkerIndex(match[0]) : Number(match[0].slice(1)) - shape.firstMarker;
          if (literal !== undefined && literal < 0) continue;
          if (literal === undefined) positional++;
          else if (literal >= shape.literalCount || seen.has(literal)) return undefined;
          else seen.add(literal);
          const before = pending + part.text.slice(from, match.index);
          // The shape wrote each marker between two spaces of its own: they go with it.
          parts.push(literal !== undefined && before.endsWith(' ') ? before.slice(0, -1) : before);
          pending = '';
          slots.push({ literal, inline: literal !== undefined && (dialect === 'postgresql' || inline.has(literal)) });
          from = match.index + match[0].length;
          if (literal !== undefined && part.text[from] === ' ') from++;
        }
        pending += part.text.slice(from);
      }
      parts.push(pending);
      templates.push(new StatementTemplate(parts, slots));
    }
    return seen.size === shape.literalCount && positional === shape.positionalCount ? templates : undefined;
  }

  /** A statement run as printed, with the caller's parameters. */
  static fixed(sql: string): StatementTemplate {
    return new StatementTemplate([sql], []);
  }

  /** Whether the caller's parameters must be exactly as many as its `?`, literals being bound among them. */
  get mergesParameters(): boolean {
    return this.boundLiterals > 0;
  }

  fill(literals: readonly SqlLiteral[], params: readonly unknown[]): PreparedStatement {
    if (this.fixedSql !== undefined && this.boundLiterals === 0) return { sql: this.fixedSql, params };
    const sql = this.fixedSql ?? this.render((literal) => literals[literal]!.text);
    if (this.boundLiterals === 0) return { sql, params };
    const bound: unknown[] = [];
    let caller = 0;
    for (const slot of this.slots) {
      if (slot.literal === undefined) bound.push(params[caller++]);
      else if (!slot.inline) bound.push(literals[slot.literal]!.value);
    }
    return { sql, params: bound };
  }

  /**
   * The parts joined by `?` for each parameter and the literal's text for each inline one. The
   * last character is tracked aside: reading it from the growing string would flatten it on
   * every slot, and cost the square of the text.
   */
  private render(inlineText: (literal: number) => string): string {
    let sql = this.parts[0]!;
    let last = sql.at(-1) ?? ' ';
    for (let index = 0; index < this.slots.length; index++) {
      const slot = this.slots[index]!;
      const text = slot.inline ? inlineText(slot.literal!) : '?';
      const next = this.parts[index + 1]!;
      const before = GLUES_BEFORE.test(last) ? ' ' : '';
      const after = GLUES_AFTER.test(next[0] ?? ' ') ? ' ' : '';
      sql += before + text + after + next;
      last = next.at(-1) ?? (after || text.at(-1) || last);
    }
    return sql;
  }
}

/**
 * The engine's own copy of `text`, as a source literal is: the driver looks each statement up by
 * its text (its prepared-statement cache, TypeORM's property look-ups), and a text built at run
 * time would be hashed and matched there as a new string on every call.
 */
function internalized(text: string): string {
  return Object.keys({ [text]: 0 })[0]!;
}
