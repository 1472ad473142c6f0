import { PluginPurgeError } from '../../../lib/errors/index.js';
import { isOwnName, purgePlanOf } from '../../../lib/migrations/purge-plan.js';

describe('purgePlanOf', () => {
  it("clears the plugin's own buckets and durable topics under their real names, plain topics aside", () => {
    const plan = purgePlanOf({
      name: 'shop',
      version: '1.0.0',
      allowedBuckets: ['files', 'images'],
      allowedTopics: ['audit', { name: 'orders', durable: true }, { name: 'refunds', durable: false }],
    });
    expect(plan).toEqual({ pluginName: 'shop', buckets: ['shop_files', 'shop_images'], durableTopics: ['shop_orders'], subscribedTopics: [], kept: [] });
  });

  it('leaves names the host mapped outside the prefix, and only leaves its group on a mapped durable topic', () => {
    const plan = purgePlanOf(
      { name: 'billing', version: '1.0.0', allowedTables: ['invoices', 'users'], allowedBuckets: ['files', 'avatars'], allowedTopics: [{ name: 'orders', durable: true }] },
      { tableNameMap: { users: 'app_users' }, bucketNameMap: { avatars: 'shared-avatars' }, topicNameMap: { orders: 'shop_orders' } },
    );
    expect(plan.buckets).toEqual(['billing_files']);
    expect(plan.durableTopics).toEqual([]);
    expect(plan.subscribedTopics).toEqual(['shop_orders']);
    expect(plan.kept).toEqual(['table "users" (as "app_users")', 'bucket "avatars" (as "shared-avatars")', 'topic "orders" (as "shop_orders")']);
  });

  it("follows the host's replacement lists, and a name mapped into the plugin's own prefix is its own", () => {
    const plan = purgePlanOf(
      { name: 'crm', version: '1.0.0', allowedBuckets: ['declared'] },
      { allowedBuckets: ['granted'], bucketNameMap: { granted: 'crm_renamed' }, allowedTopics: [{ name: 'leads', durable: true }] },
    );
    expect(plan.buckets).toEqual(['crm_renamed']);
    expect(plan.durableTopics).toEqual(['crm_leads']);
  });
});

describe('isOwnName', () => {
  it("is the plugin's prefix exactly: kebab-case names hold no '_', so no plugin's prefix starts another's", () => {
    expect(isOwnName('shop', 'shop_orders')).toBe(true);
    expect(isOwnName('shop', 'shop-admin_orders')).toBe(false);
    expect(isOwnName('shop', 'shops_orders')).toBe(false);
    expect(isOwnName('shop', 'SHOP_orders')).toBe(false);
  });
});

describe('PluginPurgeError', () => {
  it('names the plugin, the step and the cause, and how to finish', () => {
    const error = new PluginPurgeError('notes', 'bucket "notes_files"', { cause: new Error('EACCES') });
    expect(error.code).toBe('PLUGIN_PURGE_FAILED');
    expect(error.message).toBe(
      'Plugin "notes" was unloaded, but its data could not be purged (bucket "notes_files": EACCES); call uninstall("notes", { purge: true }) again to finish',
    );
  });
});
