import { BucketAccessDeniedError, InvalidResourceOverridesError, TableAccessDeniedError, TopicAccessDeniedError } from '../../../lib/errors/index.js';
import { ResourceOverridesStore } from '../../../lib/resources/resource-overrides.store.js';
import { validateResourceOverrides } from '../../../lib/resources/resource-overrides.validator.js';
import { ResourcePolicy } from '../../../lib/resources/resource-policy.js';
import { ResourceScope } from '../../../lib/resources/resource-scope.js';

const declared = { name: 'my-plugin', version: '1.0.0', allowedTables: ['users', 'orders'], allowedTopics: ['events'], allowedBuckets: ['files'] };

describe('ResourcePolicy', () => {
  it('prefixes every allowed name with the plugin name', () => {
    const policy = new ResourcePolicy('my-plugin', declared);
    expect(policy.realName('table', 'users')).toBe('my-plugin_users');
    expect(policy.realName('topic', 'events')).toBe('my-plugin_events');
    expect(policy.realName('bucket', 'files')).toBe('my-plugin_files');
  });

  it('has no defaults: a plugin that declares nothing may touch nothing', () => {
    const policy = new ResourcePolicy('bare', { name: 'bare' });
    expect(() => policy.realName('table', 'users')).toThrow('Plugin "bare" may not access table "users" (allowed: none)');
    expect(() => policy.realName('topic', 'events')).toThrow(TopicAccessDeniedError);
    expect(() => policy.realName('bucket', 'files')).toThrow(BucketAccessDeniedError);
  });

  it('names the plugin, the resource and the allow-list when it refuses', () => {
    const policy = new ResourcePolicy('my-plugin', declared);
    expect(() => policy.realName('table', 'payments')).toThrow(new TableAccessDeniedError('my-plugin', 'payments', ['users', 'orders']));
    expect(() => policy.realName('table', 'payments')).toThrow('Plugin "my-plugin" may not access table "payments" (allowed: users, orders)');
    expect(() => policy.realName('topic', 'orders')).toThrow('Plugin "my-plugin" may not access topic "orders" (allowed: events)');
    expect(() => policy.realName('bucket', 'users')).toThrow('Plugin "my-plugin" may not access bucket "users" (allowed: files)');
  });

  it('compares table names case-insensitively, as SQL does, but topics and buckets exactly', () => {
    const policy = new ResourcePolicy('my-plugin', declared);
    expect(policy.realName('table', 'USERS')).toBe('my-plugin_users');
    expect(policy.lookup('topic', 'EVENTS')).toBeUndefined();
    expect(policy.lookup('bucket', 'Files')).toBeUndefined();
  });

  it('lets overrides replace the declared lists and map names verbatim', () => {
    const policy = new ResourcePolicy('my-plugin', declared, {
      allowedTables: ['users', 'audit'],
      tableNameMap: { audit: 'shared_audit' },
      topicNameMap: { events: 'shared-events' },
      bucketNameMap: { unlisted: 'never-used' },
    });
    expect(policy.realName('table', 'audit')).toBe('shared_audit');
    expect(policy.realName('table', 'users')).toBe('my-plugin_users');
    expect(policy.lookup('table', 'orders')).toBeUndefined();
    expect(policy.realName('topic', 'events')).toBe('shared-events');
    // A mapping does not allow anything by itself.
    expect(policy.lookup('bucket', 'unlisted')).toBeUndefined();
  });
});

describe('ResourceScope', () => {
  it('uses the overrides in force at each call', () => {
    const store = new ResourceOverridesStore({ 'my-plugin': { topicNameMap: { events: 'first' } } });
    const scope = new ResourceScope(declared, store);
    expect(scope.realName('topic', 'events')).toBe('first');
    store.set('my-plugin', { topicNameMap: { events: 'second' } });
    expect(scope.realName('topic', 'events')).toBe('second');
    store.set('my-plugin', undefined);
    expect(scope.realName('topic', 'events')).toBe('my-plugin_events');
  });

  it('builds a new policy only when some override changed', () => {
    const store = new ResourceOverridesStore();
    const scope = new ResourceScope(declared, store);
    const first = scope.policy;
    expect(scope.policy).toBe(first);
    store.set('other-plugin', { allowedTables: [] });
    expect(scope.policy).not.toBe(first);
  });
});

describe('validateResourceOverrides', () => {
  it('accepts every documented field', () => {
    expect(() =>
      validateResourceOverrides('my-plugin', {
        allowedTables: ['a'],
        allowedTopics: [],
        allowedBuckets: ['b'],
        tableNameMap: { a: 'x' },
        topicNameMap: {},
        bucketNameMap: { b: 'y' },
      }),
    ).not.toThrow();
  });

  it('lists every problem, naming the plugin', () => {
    expect(() => validateResourceOverrides('my-plugin', { allowedTables: 'users', tableNameMap: { users: '' }, allowedTopic: ['x'] })).toThrow(
      new InvalidResourceOverridesError('my-plugin', [
        'unknown field "allowedTopic"',
        'allowedTables must be an array of non-empty strings',
        'tableNameMap must map names to non-empty strings',
      ]),
    );
    expect(() => validateResourceOverrides('my-plugin', null)).toThrow('Invalid resource overrides for plugin "my-plugin": overrides must be an object');
  });
});
