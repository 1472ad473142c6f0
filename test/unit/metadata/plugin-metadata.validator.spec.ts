import { validatePluginMetadata } from '../../../lib/metadata/plugin-metadata.validator.js';
import { InvalidPluginMetadataError } from '../../../lib/errors/index.js';
import type { PluginMetadata } from '../../../lib/interfaces/plugin-metadata.interface.js';

class UserScore {}

/** Validates loosely typed metadata, as a JavaScript user could write it; returns the message. */
async function messageFor(metadata: Record<string, unknown>, className = 'BadPlugin'): Promise<string> {
  try {
    await validatePluginMetadata(metadata as unknown as PluginMetadata, className);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected validatePluginMetadata to throw');
}

const NAME_RULE = 'must be kebab-case matching /^[a-z][a-z0-9-]*$/';

describe('validatePluginMetadata', () => {
  describe('valid metadata', () => {
    it('accepts the required fields alone', async () => {
      await expect(validatePluginMetadata({ name: 'user-utils', version: '1.2.0' }, 'UserUtilsPlugin')).resolves.toBeUndefined();
    });

    it('accepts every optional field and every dependency form', async () => {
      const metadata: PluginMetadata = {
        name: 'user-utils',
        version: '1.2.0-beta.1+build.5',
        description: 'Per-user scores',
        dependencies: [
          'plugin-a',
          { name: 'plugin-crm', version: '^1.0.0', reason: 'Fetch contacts' },
          { name: 'analytics', version: '>=2', optional: true },
          { name: 'any-version', version: '*' },
          { name: 'no-version', optional: false },
        ],
        entities: [UserScore],
        allowedTables: ['user_scores'],
        allowedTopics: [],
        allowedBuckets: ['avatars'],
        permissions: ['leaderboard:write'],
      };
      await expect(validatePluginMetadata(metadata, 'UserUtilsPlugin')).resolves.toBeUndefined();
    });

    it('accepts optional fields explicitly set to undefined', async () => {
      await expect(
        validatePluginMetadata(
          { name: 'a', version: '0.0.1', description: undefined, dependencies: undefined, allowedTables: undefined },
          'APlugin',
        ),
      ).resolves.toBeUndefined();
    });
  });

  describe('name', () => {
    it('rejects a name with a space, naming the class', async () => {
      expect(await messageFor({ name: 'Bad Name', version: '1.0.0' })).toBe(
        `Invalid metadata for plugin class "BadPlugin": name ${NAME_RULE} (got "Bad Name")`,
      );
    });

    it('rejects an uppercase name', async () => {
      expect(await messageFor({ name: 'userUtils', version: '1.0.0' })).toBe(
        `Invalid metadata for plugin class "BadPlugin": name ${NAME_RULE} (got "userUtils")`,
      );
    });

    it('rejects a name starting with a digit', async () => {
      expect(await messageFor({ name: '1-plugin', version: '1.0.0' })).toBe(
        `Invalid metadata for plugin class "BadPlugin": name ${NAME_RULE} (got "1-plugin")`,
      );
    });

    it('rejects a missing name', async () => {
      expect(await messageFor({ version: '1.0.0' })).toBe(
        `Invalid metadata for plugin class "BadPlugin": name ${NAME_RULE} (got undefined)`,
      );
    });
  });

  describe('version', () => {
    it('rejects 1.x with the message of the SPEC', async () => {
      expect(await messageFor({ name: 'user-utils', version: '1.x' })).toBe(
        'Invalid metadata for plugin "user-utils": version must be a valid semver (got "1.x")',
      );
    });

    it('rejects a missing version', async () => {
      expect(await messageFor({ name: 'user-utils' })).toBe(
        'Invalid metadata for plugin "user-utils": version must be a valid semver (got undefined)',
      );
    });

    it('rejects a version that is not a string', async () => {
      expect(await messageFor({ name: 'user-utils', version: 1 })).toBe(
        'Invalid metadata for plugin "user-utils": version must be a valid semver (got 1)',
      );
    });
  });

  it('lists every failing field, in field order', async () => {
    expect(
      await messageFor({
        permissions: [''],
        allowedTables: 'user_scores',
        entities: ['UserScore'],
        dependencies: [42, { name: 'ok', version: 'not-a-range' }],
        description: 5,
        version: 'x',
        name: 'Bad Name',
      }),
    ).toBe(
      'Invalid metadata for plugin class "BadPlugin": ' +
        [
          `name ${NAME_RULE} (got "Bad Name")`,
          'version must be a valid semver (got "x")',
          'description must be a string (got 5)',
          'dependencies[0] must be a plugin name or { name, version?, optional?, reason? } (got 42)',
          'dependencies[1].version must be a valid semver range (got "not-a-range")',
          'entities must be an array of classes',
          'allowedTables must be an array of non-empty strings',
          'permissions must be an array of non-empty strings',
        ].join('; '),
    );
  });

  it('reports the SPEC example of a bad name and a bad version together', async () => {
    expect(await messageFor({ name: 'Bad Name', version: 'x' })).toBe(
      `Invalid metadata for plugin class "BadPlugin": name ${NAME_RULE} (got "Bad Name"); version must be a valid semver (got "x")`,
    );
  });

  describe('dependencies', () => {
    const withDependencies = (dependencies: unknown): Promise<string> =>
      messageFor({ name: 'reports', version: '1.0.0', dependencies });

    it('rejects a bad semver range, naming the index', async () => {
      expect(await withDependencies(['inventory', { name: 'plugin-crm', version: 'not-a-range' }])).toBe(
        'Invalid metadata for plugin "reports": dependencies[1].version must be a valid semver range (got "not-a-range")',
      );
    });

    it('rejects a dependency that is a number', async () => {
      expect(await withDependencies([42])).toBe(
        'Invalid metadata for plugin "reports": dependencies[0] must be a plugin name or { name, version?, optional?, reason? } (got 42)',
      );
    });

    it('rejects a dependency object with a bad name', async () => {
      expect(await withDependencies([{ name: 'Plugin CRM', version: '^1.0.0' }])).toBe(
        `Invalid metadata for plugin "reports": dependencies[0].name ${NAME_RULE} (got "Plugin CRM")`,
      );
    });

    it('rejects a dependency string that is not a plugin name', async () => {
      expect(await withDependencies(['Inventory'])).toBe(
        `Invalid metadata for plugin "reports": dependencies[0] ${NAME_RULE} (got "Inventory")`,
      );
    });

    it('rejects bad optional and reason fields', async () => {
      expect(await withDependencies([{ name: 'crm', optional: 'yes', reason: 1 }])).toBe(
        'Invalid metadata for plugin "reports": dependencies[0].optional must be a boolean (got "yes"); dependencies[0].reason must be a string (got 1)',
      );
    });

    it('rejects dependencies that are not an array', async () => {
      expect(await withDependencies('inventory')).toBe(
        'Invalid metadata for plugin "reports": dependencies must be an array (got "inventory")',
      );
    });
  });

  describe('resource lists', () => {
    it('rejects a non-string allowedTables item', async () => {
      expect(await messageFor({ name: 'user-utils', version: '1.0.0', allowedTables: ['user_scores', 3] })).toBe(
        'Invalid metadata for plugin "user-utils": allowedTables must be an array of non-empty strings',
      );
    });

    it('rejects an empty allowedTopics item and a null allowedBuckets', async () => {
      expect(await messageFor({ name: 'user-utils', version: '1.0.0', allowedTopics: [''], allowedBuckets: null })).toBe(
        'Invalid metadata for plugin "user-utils": allowedTopics must be an array of non-empty strings of at most 255 characters; allowedBuckets must be an array of non-empty strings',
      );
    });

    it('rejects an allowedTopics item longer than 255 characters, and accepts one of 255', async () => {
      expect(await messageFor({ name: 'user-utils', version: '1.0.0', allowedTopics: ['ok', 't'.repeat(10_000)] })).toBe(
        'Invalid metadata for plugin "user-utils": allowedTopics must be an array of non-empty strings of at most 255 characters',
      );
      await expect(validatePluginMetadata({ name: 'user-utils', version: '1.0.0', allowedTopics: ['t'.repeat(255)] }, 'UserUtilsPlugin')).resolves.toBeUndefined();
    });

    it('rejects entities that are not classes', async () => {
      expect(await messageFor({ name: 'user-utils', version: '1.0.0', entities: [UserScore, 'UserScore'] })).toBe(
        'Invalid metadata for plugin "user-utils": entities must be an array of classes',
      );
    });

    it('accepts migration classes, and rejects non-migrations and two of one name, naming the plugin', async () => {
      class CreateScores1 {
        async up(): Promise<void> {}
        async down(): Promise<void> {}
      }
      const twin = { CreateScores1: class {
        async up(): Promise<void> {}
        async down(): Promise<void> {}
      } }.CreateScores1;
      await expect(validatePluginMetadata({ name: 'user-utils', version: '1.0.0', migrations: [CreateScores1] }, 'UserUtilsPlugin')).resolves.toBeUndefined();
      const problem = 'Invalid metadata for plugin "user-utils": migrations must be an array of migration classes (with up and down methods), each named once';
      expect(await messageFor({ name: 'user-utils', version: '1.0.0', migrations: [UserScore] })).toBe(problem);
      expect(await messageFor({ name: 'user-utils', version: '1.0.0', migrations: [CreateScores1, twin] })).toBe(problem);
    });
  });

  describe('configSchema and hostRange', () => {
    class BillingConfig {}

    it('accepts a class as configSchema and a semver range as hostRange', async () => {
      for (const hostRange of ['^1.2.0', '>=3.x', '1.x || >=2.5.0 <3', '*']) {
        await expect(validatePluginMetadata({ name: 'billing', version: '1.0.0', configSchema: BillingConfig, hostRange }, 'BillingPlugin')).resolves.toBeUndefined();
      }
    });

    it('rejects a hostRange that is not a semver range', async () => {
      expect(await messageFor({ name: 'billing', version: '1.0.0', hostRange: 'one point two' })).toBe(
        'Invalid metadata for plugin "billing": hostRange must be a valid semver range (got "one point two")',
      );
      expect(await messageFor({ name: 'billing', version: '1.0.0', hostRange: 12 })).toBe(
        'Invalid metadata for plugin "billing": hostRange must be a valid semver range (got 12)',
      );
    });

    it('rejects a configSchema that is not a class, with every other bad field', async () => {
      expect(await messageFor({ name: 'billing', version: '1.0.0', configSchema: { currency: 'EUR' }, hostRange: '^^1' })).toBe(
        'Invalid metadata for plugin "billing": configSchema must be a class (got {"currency":"EUR"}); hostRange must be a valid semver range (got "^^1")',
      );
    });
  });

  describe('isolation, resourceLimits and restart', () => {
    it('accepts the modes, limits and restart options of SPEC §13', async () => {
      for (const isolation of ['inline', 'thread', 'process']) {
        const metadata = { name: 'word-stats', version: '1.0.0', isolation, resourceLimits: { maxOldGenerationSizeMb: 64, callTimeoutMs: 2000 }, restart: { maxRestarts: 0, windowMs: 1 } };
        await expect(validatePluginMetadata(metadata as PluginMetadata, 'WordStatsPlugin')).resolves.toBeUndefined();
      }
    });

    it('names each bad field at once', async () => {
      expect(
        await messageFor({
          name: 'word-stats',
          version: '1.0.0',
          isolation: 'threads',
          resourceLimits: { maxOldGenerationSizeMb: -1, heap: 3 },
          restart: { maxRestarts: 1.5 },
        }),
      ).toBe(
        'Invalid metadata for plugin "word-stats": isolation must be "inline", "thread" or "process" (got "threads"); ' +
          'resourceLimits must be { maxOldGenerationSizeMb?, callTimeoutMs? } with positive whole numbers (got {"maxOldGenerationSizeMb":-1,"heap":3}); ' +
          'restart must be { maxRestarts?, windowMs? } with whole numbers (windowMs positive) (got {"maxRestarts":1.5})',
      );
    });
  });

  describe('env', () => {
    it('accepts environment variable names', async () => {
      await expect(validatePluginMetadata({ name: 'word-stats', version: '1.0.0', env: ['API_URL', '_private', 'Mixed_9'] } as PluginMetadata, 'WordStatsPlugin')).resolves.toBeUndefined();
    });

    it('refuses anything else, naming the rule', async () => {
      for (const env of [['API-URL'], ['9LIVES'], [''], 'API_URL', [42]]) {
        expect(await messageFor({ name: 'word-stats', version: '1.0.0', env })).toBe(
          `Invalid metadata for plugin "word-stats": env must be an array of environment variable names matching /^[A-Za-z_][A-Za-z0-9_]*$/ (got ${JSON.stringify(env)})`,
        );
      }
    });
  });

  it('throws an InvalidPluginMetadataError with code PLUGIN_INVALID_METADATA, subject and problems', async () => {
    let thrown: unknown;
    try {
      await validatePluginMetadata({ name: 'user-utils', version: '1.x' }, 'UserUtilsPlugin');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidPluginMetadataError);
    const error = thrown as InvalidPluginMetadataError;
    expect(error.code).toBe('PLUGIN_INVALID_METADATA');
    expect(error.name).toBe('InvalidPluginMetadataError');
    expect(error.subject).toBe('plugin "user-utils"');
    expect(error.problems).toEqual(['version must be a valid semver (got "1.x")']);
  });
});
