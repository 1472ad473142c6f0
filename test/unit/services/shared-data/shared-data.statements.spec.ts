import { sharedDataStatements, type SharedDataColumns } from '../../../../lib/services/shared-data/shared-data.statements.js';

const columns: SharedDataColumns = {
  tenantId: '"tenant_id"',
  namespace: '"namespace"',
  key: '"key"',
  value: '"value"',
  ownerId: '"owner_id"',
  expiresAt: '"expires_at"',
  updatedAt: '"updated_at"',
};

/** How many parameters each statement documents, in its order. */
const PARAMETER_COUNTS = { value: 4, entry: 4, upsert: 8, deleteOwned: 4, keys: 3, ownedKeys: 4, purge: 1 };

describe('shared data statements', () => {
  const numbered = sharedDataStatements('"plugin_shared_data"', columns, (index) => `$${index + 1}`);
  const positional = sharedDataStatements('"plugin_shared_data"', columns, () => '?');

  // `?` binds by position and `$n` by number: the same argument list fits both only if every
  // statement uses $1..$n once each, in increasing order.
  it.each(Object.entries(PARAMETER_COUNTS))('%s uses its %i parameters once each, in order', (name, count) => {
    const sql = numbered[name as keyof typeof PARAMETER_COUNTS];
    const used = [...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]));
    expect(used).toEqual(Array.from({ length: count }, (_, index) => index + 1));
    expect(positional[name as keyof typeof PARAMETER_COUNTS].split('?').length - 1).toBe(count);
  });

  it('writes one atomic upsert that only replaces the writer own or an expired row', () => {
    expect(numbered.upsert).toBe(
      'INSERT INTO "plugin_shared_data" AS "stored" ("tenant_id", "namespace", "key", "value", "owner_id", "expires_at", "updated_at") ' +
        'VALUES ($1, $2, $3, $4, $5, $6, $7) ' +
        'ON CONFLICT ("tenant_id", "namespace", "key") DO UPDATE SET "value" = excluded."value", "owner_id" = excluded."owner_id", ' +
        '"expires_at" = excluded."expires_at", "updated_at" = excluded."updated_at" ' +
        'WHERE "stored"."owner_id" = excluded."owner_id" OR "stored"."expires_at" <= $8 RETURNING "owner_id" AS "ownerId"',
    );
  });

  it('reads only live rows, by the primary key', () => {
    expect(numbered.value).toBe(
      'SELECT "value" AS "value" FROM "plugin_shared_data" WHERE "tenant_id" = $1 AND "namespace" = $2 AND "key" = $3 ' +
        'AND ("expires_at" IS NULL OR "expires_at" > $4)',
    );
  });
});
