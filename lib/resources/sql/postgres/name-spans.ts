import { foldIdentifier } from '../sql-ast.js';

/** Where a dotted name starts and ends in the text, and each part as the database reads it. */
export interface NameSpan {
  readonly parts: readonly string[];
  readonly start: number;
  readonly end: number;
  /** where each part ends */
  readonly partEnds: readonly number[];
}

const IDENTIFIER_START = /[A-Za-z_\u0080-\uffff]/y;
const IDENTIFIER_REST = /[A-Za-z0-9_$\u0080-\uffff]*/y;
const SPACE_OR_COMMENT = /(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/y;

/**
 * The PostgreSQL name of `count` dotted parts that starts at `start` (`users`, `public . "Users"`),
 * unquoted parts folded as PostgreSQL folds them; undefined when the text there is not such a
 * name (a `U&"..."` identifier, say). The caller compares the parts with the parser's.
 */
export function readPostgresName(text: string, start: number, count: number): NameSpan | undefined {
  const parts: string[] = [];
  const partEnds: number[] = [];
  let index = start;
  for (;;) {
    const part = readPart(text, index);
    if (part === undefined) return undefined;
    parts.push(part.value);
    partEnds.push(part.end);
    index = part.end;
    if (parts.length === count) return { parts, start, end: index, partEnds };
    SPACE_OR_COMMENT.lastIndex = index;
    SPACE_OR_COMMENT.test(text);
    if (text[SPACE_OR_COMMENT.lastIndex] !== '.') return undefined;
    SPACE_OR_COMMENT.lastIndex += 1;
    SPACE_OR_COMMENT.test(text);
    index = SPACE_OR_COMMENT.lastIndex;
  }
}

function readPart(text: string, index: number): { value: string; end: number } | undefined {
  if (text[index] === '"') {
    let value = '';
    let from = index + 1;
    for (;;) {
      const close = text.indexOf('"', from);
      if (close === -1) return undefined;
      value += text.slice(from, close);
      if (text[close + 1] !== '"') return { value, end: close + 1 };
      value += '"';
      from = close + 2;
    }
  }
  IDENTIFIER_START.lastIndex = index;
  if (!IDENTIFIER_START.test(text)) return undefined;
  // U&"..." spells an identifier with escapes: not a plain name.
  if ((text[index] === 'U' || text[index] === 'u') && text[index + 1] === '&') return undefined;
  IDENTIFIER_REST.lastIndex = index + 1;
  IDENTIFIER_REST.test(text);
  const end = IDENTIFIER_REST.lastIndex;
  return { value: foldIdentifier(text.slice(index, end)), end };
}
