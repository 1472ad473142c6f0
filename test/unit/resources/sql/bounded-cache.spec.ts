import { BoundedCache } from '../../../../lib/resources/sql/bounded-cache.js';

describe('BoundedCache', () => {
  it('holds at most its size, dropping the oldest entry first, round after round', () => {
    const cache = new BoundedCache<number>(3);
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, i);
    expect(['k6', 'k7', 'k8', 'k9'].map((key) => cache.get(key))).toEqual([undefined, 7, 8, 9]);
    cache.set('k10', 10);
    expect(cache.has('k7')).toBe(false);
    expect(cache.get('k10')).toBe(10);
  });

  it('keeps a key set twice in its place, so that it is evicted once and takes one place', () => {
    const cache = new BoundedCache<string>(2);
    cache.set('a', 'first');
    cache.set('a', 'second');
    cache.set('b', 'b');
    expect(cache.get('a')).toBe('second');
    cache.set('c', 'c');
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([false, true, true]);
  });
});
