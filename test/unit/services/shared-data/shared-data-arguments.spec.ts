import { SharedDataArgumentError, SharedDataValueError } from '../../../../lib/errors/shared-data.errors.js';
import { assertSharedDataName, serializeSharedValue } from '../../../../lib/services/shared-data/shared-data-arguments.js';

describe('shared data names', () => {
  it.each(['crm', 'a', 'crm.cache/contacts:v1', 'x'.repeat(255)])('accepts %j', (name) => {
    expect(() => assertSharedDataName('key', name)).not.toThrow();
  });

  it.each([
    ['', 'namespace', 'Invalid shared data namespace: must be a non-empty string of at most 255 characters, got 0 characters'],
    ['x'.repeat(256), 'key', 'Invalid shared data key: must be a non-empty string of at most 255 characters, got 256 characters'],
    [undefined, 'key', 'Invalid shared data key: must be a non-empty string of at most 255 characters, got undefined'],
    [42, 'ownerId', 'Invalid shared data ownerId: must be a non-empty string of at most 255 characters, got number'],
  ] as const)('refuses %j as %s', (name, argument, message) => {
    expect(() => assertSharedDataName(argument, name)).toThrow(SharedDataArgumentError);
    expect(() => assertSharedDataName(argument, name)).toThrow(message);
  });
});

describe('shared data values', () => {
  it.each([
    [{ count: 1, tags: ['a'], nested: { ok: true } }, '{"count":1,"tags":["a"],"nested":{"ok":true}}'],
    [[1, 'two', null], '[1,"two",null]'],
    [1250, '1250'],
    ['2026-01-22T16:00:00Z', '"2026-01-22T16:00:00Z"'],
    [null, 'null'],
    [false, 'false'],
  ])('stores %j as JSON', (value, json) => {
    expect(serializeSharedValue('crm', 'k', value)).toBe(json);
  });

  it.each([
    [undefined, 'Shared data "crm/k" cannot be stored: undefined is not a JSON value'],
    [() => 1, 'Shared data "crm/k" cannot be stored: function is not a JSON value'],
    [Symbol('s'), 'Shared data "crm/k" cannot be stored: symbol is not a JSON value'],
  ])('refuses %p', (value, message) => {
    expect(() => serializeSharedValue('crm', 'k', value)).toThrow(SharedDataValueError);
    expect(() => serializeSharedValue('crm', 'k', value)).toThrow(message);
  });

  it('refuses a BigInt and a cycle, keeping JSON.stringify error as the cause', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const value of [10n, cycle]) {
      let thrown: unknown;
      try {
        serializeSharedValue('crm', 'k', value);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SharedDataValueError);
      expect((thrown as Error).message).toMatch(/^Shared data "crm\/k" cannot be stored: the value is not JSON-serialisable \(.+\)$/);
      expect((thrown as Error).cause).toBeInstanceOf(TypeError);
    }
  });
});
