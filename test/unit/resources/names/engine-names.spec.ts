import 'reflect-metadata';
import { InvalidResourceOverridesError } from '../../../../lib/errors/index.js';
import { pluginRoleName } from '../../../../lib/resources/engines/postgres/plugin-role-name.js';
import { engineNameProblems, MAX_ENGINE_NAME_BYTES } from '../../../../lib/resources/names/engine-name-length.js';
import { policyEngineNames } from '../../../../lib/resources/names/policy-engine-names.js';
import { validateResourceOverrides } from '../../../../lib/resources/resource-overrides.validator.js';
import { ResourcePolicy } from '../../../../lib/resources/resource-policy.js';

/** The two plugins of the report: their prefixed table names agree on the first 63 bytes. */
const EVIL = `${'x'.repeat(63)}-evil`;
const BANK = `${'x'.repeat(63)}-bank`;

describe('engine name length', () => {
  it('accepts a name of exactly 63 bytes and refuses 64, naming it whole', () => {
    expect(MAX_ENGINE_NAME_BYTES).toBe(63);
    expect(engineNameProblems([{ what: 'table "t"', realName: 'a'.repeat(63) }])).toEqual([]);
    expect(engineNameProblems([{ what: 'table "t"', realName: 'a'.repeat(64) }])).toEqual([
      `table "t" is 64 bytes as "${'a'.repeat(64)}"; PostgreSQL allows 63`,
    ]);
  });

  it('counts bytes, not characters', () => {
    expect(engineNameProblems([{ what: 'table "é"', realName: 'é'.repeat(31) + 'a' }])).toEqual([]);
    expect(engineNameProblems([{ what: 'table "é"', realName: 'é'.repeat(32) }])).toEqual([
      `table "é" is 64 bytes as "${'é'.repeat(32)}"; PostgreSQL allows 63`,
    ]);
  });

  it('reports the prefixed real names of the tables a plugin declares', () => {
    const policy = new ResourcePolicy(EVIL, { name: EVIL, allowedTables: ['loot', 'ok'] }, { tableNameMap: { ok: 'short' } });
    expect(engineNameProblems(policyEngineNames(policy))).toEqual([`table "loot" is 73 bytes as "${EVIL}_loot"; PostgreSQL allows 63`]);
  });
});

describe('resource overrides and engine names', () => {
  const refusal = (pluginName: string, overrides: unknown, declared?: { name: string; version: string; allowedTables?: string[] }) => {
    try {
      validateResourceOverrides(pluginName, overrides, declared);
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('refuses a mapped name longer than 63 bytes', () => {
    const error = refusal('bank', { tableNameMap: { secrets: 'y'.repeat(64) } });
    expect(error).toBeInstanceOf(InvalidResourceOverridesError);
    expect((error as Error).message).toBe(
      `Invalid resource overrides for plugin "bank": table "secrets" is 64 bytes as "${'y'.repeat(64)}"; PostgreSQL allows 63`,
    );
  });

  it('refuses an allowed table whose prefixed name is too long, unless the overrides map it', () => {
    expect((refusal(EVIL, { allowedTables: ['loot'] }) as Error).message).toBe(
      `Invalid resource overrides for plugin "${EVIL}": table "loot" is 73 bytes as "${EVIL}_loot"; PostgreSQL allows 63`,
    );
    expect(refusal(EVIL, { allowedTables: ['loot'], tableNameMap: { loot: 'evil_loot' } })).toBeUndefined();
  });

  it('with the registered plugin’s metadata, refuses overrides that leave a declared table too long', () => {
    const declared = { name: BANK, version: '1.0.0', allowedTables: ['secrets'] };
    expect(refusal(BANK, { tableNameMap: { secrets: 'bank_secrets' } }, declared)).toBeUndefined();
    expect((refusal(BANK, {}, declared) as Error).message).toBe(
      `Invalid resource overrides for plugin "${BANK}": table "secrets" is 76 bytes as "${BANK}_secrets"; PostgreSQL allows 63`,
    );
  });
});

describe('plugin role names', () => {
  it('stay within 63 bytes and apart for plugins whose names share their first 63 bytes', () => {
    const evil = pluginRoleName('app', EVIL);
    const bank = pluginRoleName('app', BANK);
    expect(Buffer.byteLength(evil)).toBeLessThanOrEqual(63);
    expect(Buffer.byteLength(bank)).toBeLessThanOrEqual(63);
    expect(evil).not.toBe(bank);
  });
});
