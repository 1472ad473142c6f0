import type { SqlDialect } from '../../../../lib/resources/sql/sql-dialect.js';
import { UNCLOSED, VERBATIM_STARTS, verbatimEnd, verbatimKindAt } from '../../../../lib/resources/sql/sql-lexer.js';
import { shapeSql } from '../../../../lib/resources/sql/sql-shape.js';
import { splitSqlText } from '../../../../lib/resources/sql/sql-text.js';
import { seededRandom } from '../../../support/seeded-random.js';

const DIALECTS: readonly SqlDialect[] = ['sqlite', 'postgresql'];
const kindAt = (sql: string, dialect: SqlDialect) => verbatimKindAt(sql.charCodeAt(0), sql.charCodeAt(1), dialect);

describe('the SQL lexer', () => {
  it.each(DIALECTS)('finds a verbatim part at %s where its jump expression does, and nowhere else', (dialect) => {
    const characters = [...'\'"`[]-/*\n#$?x1 '];
    for (const first of characters) {
      for (const second of characters) {
        const text = first + second;
        const starts = new RegExp(VERBATIM_STARTS[dialect].source, 'y');
        expect([text, starts.test(text)]).toEqual([text, kindAt(text, dialect) !== undefined]);
      }
    }
  });

  it('reads strings, quoted identifiers and comments per dialect', () => {
    expect(kindAt("'a'", 'postgresql')).toBe('string');
    expect(kindAt('"a"', 'postgresql')).toBe('identifier');
    expect(kindAt('`a`', 'sqlite')).toBe('identifier');
    expect(kindAt('`a`', 'postgresql')).toBeUndefined();
    expect(kindAt('[a]', 'sqlite')).toBe('identifier');
    expect(kindAt('[1]', 'postgresql')).toBeUndefined();
    expect(kindAt('-- a', 'sqlite')).toBe('comment');
    expect(kindAt('/* a */', 'postgresql')).toBe('comment');
    expect(kindAt('$1', 'postgresql')).toBeUndefined();
  });

  it('ends a part after its closing mark, reads doubled quotes as themselves, and tells an unclosed one', () => {
    expect(verbatimEnd("'it''s' x", 0)).toBe(7);
    expect(verbatimEnd('"a""b" x', 0)).toBe(6);
    expect(verbatimEnd('[a]] x', 0)).toBe(3);
    expect(verbatimEnd('-- a\nx', 0)).toBe(5);
    expect(verbatimEnd('/* /* */ */', 0)).toBe(8);
    for (const unclosed of ["'it''", '"a', '[a', '-- a', '/* a *']) expect([unclosed, verbatimEnd(unclosed, 0)]).toEqual([unclosed, UNCLOSED]);
  });

  it.each(DIALECTS)('lets the shape scan and the text rules agree at %s: each string literal is a quoted part, each number is in code', (dialect) => {
    const random = seededRandom(18);
    const pieces = ["'", "''", '"', '`', '[', ']', '--', '/*', '*/', '\n', ' ', 'x', '1', '2.5', '$1', '?', '#', 'E', ','];
    for (let run = 0; run < 2000; run++) {
      const sql = Array.from({ length: 12 }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      let offset = 0;
      const partAt = new Map<number, { kind: string; text: string }>();
      const kindOf: string[] = [];
      for (const part of splitSqlText(sql, dialect)) {
        partAt.set(offset, part);
        kindOf.push(...Array<string>(part.text.length).fill(part.kind));
        offset += part.text.length;
      }
      for (const literal of shapeSql(sql, dialect)?.literals ?? []) {
        const { start, text } = literal as typeof literal & { start: number };
        const quote = text.indexOf("'");
        if (quote === -1) expect([sql, text, kindOf.slice(start, start + text.length).every((kind) => kind === 'code')]).toEqual([sql, text, true]);
        else expect([sql, partAt.get(start + quote)]).toEqual([sql, { kind: 'quoted', text: text.slice(quote) }]);
      }
    }
  });
});
