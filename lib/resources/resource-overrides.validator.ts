import { InvalidResourceOverridesError } from '../errors/index.js';
import { MAX_TOPIC_NAME_LENGTH, isNonEmptyStringArray, isTopicName, isTopicNameArray } from '../metadata/plugin-metadata.rules.js';
import type { PluginMetadata } from '../interfaces/plugin-metadata.interface.js';
import { engineNameProblems } from './names/engine-name-length.js';
import { policyEngineNames } from './names/policy-engine-names.js';
import type { ResourceOverrides } from './resource-overrides.interface.js';
import { ResourcePolicy } from './resource-policy.js';

const LISTS = ['allowedTables', 'allowedBuckets'] as const;
const NAME_MAPS = ['tableNameMap', 'topicNameMap', 'bucketNameMap'] as const;
const KNOWN: ReadonlySet<string> = new Set([...LISTS, 'allowedTopics', ...NAME_MAPS]);

function isNameMap(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((realName) => typeof realName === 'string' && realName.length > 0)
  );
}

const TOPIC_NAMES = `non-empty strings of at most ${MAX_TOPIC_NAME_LENGTH} characters`;
const TOPIC_DECLARATIONS = `${TOPIC_NAMES} or { name, durable: true } objects`;

/** Topic names, the plugin's and the real ones, obey the same limit as declared topics. */
function topicProblems(fields: Record<string, unknown>): string[] {
  const { allowedTopics, topicNameMap } = fields;
  const problems: string[] = [];
  if (isNonEmptyStringArray(allowedTopics) && !isTopicNameArray(allowedTopics)) problems.push(`allowedTopics must be an array of ${TOPIC_NAMES}`);
  else if (allowedTopics !== undefined && !isTopicNameArray(allowedTopics)) problems.push(`allowedTopics must be an array of ${TOPIC_DECLARATIONS}`);
  if (isNameMap(topicNameMap) && !Object.entries(topicNameMap as object).every(([name, realName]) => isTopicName(name) && isTopicName(realName))) {
    problems.push(`topicNameMap must map ${TOPIC_NAMES} to ${TOPIC_NAMES}`);
  }
  return problems;
}

/**
 * Real table names the engine would truncate: every mapped name, and the tables the overrides
 * allow (with `declared`, the plugin's own lists where the overrides keep them).
 */
function tableNameProblems(pluginName: string, fields: ResourceOverrides, declared?: Readonly<PluginMetadata>): string[] {
  const policy = new ResourcePolicy(pluginName, { name: pluginName, allowedTables: declared?.allowedTables }, fields);
  // A mapped table the policy allows is reported once, as that table.
  const otherMapped = Object.entries(fields.tableNameMap ?? {})
    .filter(([name]) => policy.lookup('table', name) === undefined)
    .map(([name, realName]) => ({ what: `table "${name}"`, realName }));
  return engineNameProblems([...policyEngineNames(policy), ...otherMapped]);
}

/**
 * Throws `InvalidResourceOverridesError` listing every bad field; the host's input, so checked
 * before anything changes. `declared`, the metadata of a registered plugin, has its tables checked
 * under the new overrides as well.
 */
export function validateResourceOverrides(
  pluginName: string,
  overrides: unknown,
  declared?: Readonly<PluginMetadata>,
): asserts overrides is ResourceOverrides {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new InvalidResourceOverridesError(pluginName, ['overrides must be an object']);
  }
  const fields = overrides as Record<string, unknown>;
  const problems = [
    ...Object.keys(fields)
      .filter((field) => !KNOWN.has(field))
      .map((field) => `unknown field "${field}"`),
    ...LISTS.filter((field) => fields[field] !== undefined && !isNonEmptyStringArray(fields[field])).map(
      (field) => `${field} must be an array of non-empty strings`,
    ),
    ...NAME_MAPS.filter((field) => fields[field] !== undefined && !isNameMap(fields[field])).map(
      (field) => `${field} must map names to non-empty strings`,
    ),
    ...topicProblems(fields),
  ];
  if (problems.length === 0) problems.push(...tableNameProblems(pluginName, fields, declared));
  if (problems.length > 0) throw new InvalidResourceOverridesError(pluginName, problems);
}
