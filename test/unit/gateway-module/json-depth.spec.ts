import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../../../lib/gateway-module/dto/json-depth.js';

/** `depth` levels of arrays (`[[…]]`), the innermost holding `leaf`. */
function nested(depth: number, leaf: unknown = 1): unknown {
  let value: unknown = leaf;
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value] : { inner: value };
  return value;
}

describe('JSON depth', () => {
  it('allows 64 levels and refuses 65', () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(exceedsJsonDepth(nested(64))).toBe(false);
    expect(exceedsJsonDepth(nested(65))).toBe(true);
  });

  it('counts scalars as no level and the value itself as the first', () => {
    expect(exceedsJsonDepth('text', 0)).toBe(false);
    expect(exceedsJsonDepth(null, 0)).toBe(false);
    expect(exceedsJsonDepth({}, 1)).toBe(false);
    expect(exceedsJsonDepth({ a: [] }, 1)).toBe(true);
  });

  it('finds the deep branch among wide shallow ones', () => {
    expect(exceedsJsonDepth({ wide: Array.from({ length: 10_000 }, () => ({ a: 1 })), deep: nested(64) })).toBe(true);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    expect(exceedsJsonDepth(nested(100_000))).toBe(true);
    expect(exceedsJsonDepth(nested(100_000), 100_001)).toBe(false);
  });
});
