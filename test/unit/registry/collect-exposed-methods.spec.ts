import { Expose } from '../../../lib/decorators/expose.decorator.js';
import { collectExposedMethods } from '../../../lib/registry/collect-exposed-methods.js';

class BaseStore {
  @Expose()
  read(): string {
    return 'base';
  }

  @Expose()
  size(): number {
    return 1;
  }
}

class ScoreStore extends BaseStore {
  @Expose()
  override read(): string {
    return 'derived';
  }

  @Expose('sum')
  @Expose('total')
  add(a: number, b: number): number {
    return a + b;
  }

  hidden(): string {
    return 'not exposed';
  }
}

describe('collectExposedMethods', () => {
  const store = new ScoreStore();
  const methods = collectExposedMethods('scores', [store]);

  it('finds own, inherited and aliased methods, and nothing else', () => {
    expect([...methods.keys()].sort()).toEqual(['read', 'size', 'sum', 'total']);
  });

  it('calls the most derived override, on the instance', () => {
    const read = methods.get('read')!;
    expect(read.fn.apply(read.target, [])).toBe('derived');
    expect(read.owner).toBe('ScoreStore.read');
    const sum = methods.get('sum')!;
    expect(sum.fn.apply(sum.target, [2, 3])).toBe(5);
  });

  it('rejects the reserved name "metadata"', () => {
    class Bad {
      @Expose('metadata')
      info(): void {}
    }
    expect(() => collectExposedMethods('bad', [new Bad()])).toThrow(
      'Invalid metadata for plugin "bad": Bad.info cannot be exposed as "metadata": the name is reserved for handle metadata',
    );
  });
});
