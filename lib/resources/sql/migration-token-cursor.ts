import { foldIdentifier } from './sql-ast.js';
import { statementKind } from './migration-statement-kind.js';
import type { SqlToken } from './sql-tokens.js';

/** A migration statement reaches what the plugin may not: `object` names it (or the statement kind). */
export class MigrationDenial extends Error {
  constructor(readonly object: string) {
    super(`the migration may not reach ${object}`);
  }
}

/** A name as written, and its parts case-folded. */
export interface Name {
  readonly written: string;
  readonly parts: readonly string[];
}

/**
 * Reading a migration's schema statement token by token: what was read, what comes next,
 * and a statement that does not read as expected refused by its kind.
 */
export abstract class MigrationTokenCursor {
  protected index = 0;

  constructor(protected readonly tokens: readonly SqlToken[]) {}

  /** Whether the next token is `symbol`, without taking it. */
  protected acceptSymbolAhead(symbol: string): boolean {
    const token = this.peek();
    return token?.kind === 'symbol' && token.value === symbol;
  }

  protected withoutLast(name: Name): Name {
    if (name.parts.length < 2) throw new MigrationDenial(name.written);
    const parts = name.parts.slice(0, -1);
    return { written: name.written.slice(0, name.written.lastIndexOf('.')), parts };
  }

  protected name(): Name {
    const parts: string[] = [];
    const written: string[] = [];
    do {
      const token = this.next();
      if (token === undefined || (token.kind !== 'word' && token.kind !== 'identifier')) throw this.deniedKind();
      parts.push(foldIdentifier(token.value));
      written.push(token.value);
    } while (this.acceptSymbol('.'));
    return { written: written.join('.'), parts };
  }

  protected peek(): SqlToken | undefined {
    return this.tokens[this.index];
  }

  protected next(): SqlToken | undefined {
    return this.tokens[this.index++];
  }

  protected nextWord(): string {
    const token = this.next();
    if (token?.kind !== 'word') throw this.deniedKind();
    return token.value;
  }

  protected is(word: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.value === word;
  }

  protected accept(word: string): boolean {
    if (!this.is(word)) return false;
    this.index++;
    return true;
  }

  protected acceptAll(...words: string[]): boolean {
    if (!words.every((word, offset) => this.tokens[this.index + offset]?.kind === 'word' && this.tokens[this.index + offset]!.value === word)) return false;
    this.index += words.length;
    return true;
  }

  protected acceptSymbol(symbol: string): boolean {
    const token = this.peek();
    if (token?.kind !== 'symbol' || token.value !== symbol) return false;
    this.index++;
    return true;
  }

  protected expect(word: string): void {
    if (!this.accept(word) && !this.acceptSymbol(word)) throw this.deniedKind();
  }

  protected expectEnd(): void {
    if (this.index < this.tokens.length) throw this.deniedKind();
  }

  /** The statement kind, from its first words: `CREATE FUNCTION`, `CREATE TEMP TABLE`, `ALTER ROLE`... */
  protected deniedKind(): MigrationDenial {
    return new MigrationDenial(statementKind(this.tokens));
  }
}
