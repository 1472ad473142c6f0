import { InvalidResourceOverridesError } from '../../../../lib/errors/index.js';
import { isTopicNameArray } from '../../../../lib/metadata/plugin-metadata.rules.js';
import { ResourcePolicy } from '../../../../lib/resources/resource-policy.js';
import { validateResourceOverrides } from '../../../../lib/resources/resource-overrides.validator.js';
import { consumerNameOf, streamNameOf } from '../../../../lib/resources/topics/jetstream-names.js';

describe('durable topic declarations', () => {
  it('are allowed topics, under the same real names, and only they are durable', () => {
    const policy = new ResourcePolicy('shop', { name: 'shop', allowedTopics: ['audit', { name: 'orders', durable: true }, { name: 'plain' }] });
    expect(policy.realName('topic', 'orders')).toBe('shop_orders');
    expect(policy.realName('topic', 'plain')).toBe('shop_plain');
    expect(policy.hasDurableTopics).toBe(true);
    expect(policy.isDurableTopic('orders')).toBe(true);
    expect(policy.isDurableTopic('audit')).toBe(false);
    expect(policy.isDurableTopic('plain')).toBe(false);
    expect(() => policy.realName('topic', 'other')).toThrow('Plugin "shop" may not access topic "other" (allowed: audit, orders, plain)');
  });

  it('come from overrides too, which replace the declared list (durability included)', () => {
    const declared = { name: 'shop', allowedTopics: [{ name: 'orders', durable: true }] };
    const plain = new ResourcePolicy('shop', declared, { allowedTopics: ['orders'] });
    expect(plain.hasDurableTopics).toBe(false);
    const durable = new ResourcePolicy('shop', { name: 'shop', allowedTopics: ['orders'] }, { allowedTopics: [{ name: 'orders', durable: true }], topicNameMap: { orders: 'orders' } });
    expect(durable.isDurableTopic('orders')).toBe(true);
    expect(durable.realName('topic', 'orders')).toBe('orders');
  });

  it('are valid metadata and overrides; malformed ones are listed', () => {
    expect(isTopicNameArray(['a', { name: 'b', durable: true }, { name: 'c' }])).toBe(true);
    expect(isTopicNameArray([{ name: '', durable: true }])).toBe(false);
    expect(isTopicNameArray([{ name: 'b', durable: 'yes' }])).toBe(false);
    expect(isTopicNameArray([{ name: 'b', retention: 1 }])).toBe(false);
    expect(() => validateResourceOverrides('shop', { allowedTopics: [{ name: 'orders', durable: true }] })).not.toThrow();
    expect(() => validateResourceOverrides('shop', { allowedTopics: [{ topic: 'orders' }] })).toThrow(InvalidResourceOverridesError);
    expect(() => validateResourceOverrides('shop', { allowedTopics: [{ topic: 'orders' }] })).toThrow(
      'allowedTopics must be an array of non-empty strings of at most 255 characters or { name, durable: true } objects',
    );
  });
});

describe('JetStream names', () => {
  it('name a stream after its topic, with a hash when characters had to be replaced', () => {
    expect(streamNameOf('shop_orders')).toBe('NP_shop_orders');
    expect(streamNameOf('shop.orders')).toMatch(/^NP_shop_orders_[0-9a-f]{8}$/);
    expect(streamNameOf('shop.orders')).not.toBe(streamNameOf('shop_orders'));
    expect(streamNameOf('shop.orders')).not.toBe(streamNameOf('shop*orders'));
  });

  it('name a consumer after its group', () => {
    expect(consumerNameOf('billing')).toBe('billing');
  });
});
