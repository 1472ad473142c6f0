import validRange from 'semver/ranges/valid.js';
import { describeValue, isPluginName, nameProblem } from './problem-text.js';

const ITEM_SHAPE = 'a plugin name or { name, version?, optional?, reason? }';

/** Every problem of a `dependencies` list, each naming the item's index. */
export function dependencyProblems(value: unknown): string[] {
  if (!Array.isArray(value)) return [`dependencies must be an array (got ${describeValue(value)})`];
  const problems: string[] = [];
  // An index loop, not forEach: holes in a sparse array are problems too.
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const at = `dependencies[${i}]`;
    if (typeof item === 'string') {
      if (!isPluginName(item)) problems.push(nameProblem(at, item));
    } else if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(`${at} must be ${ITEM_SHAPE} (got ${describeValue(item)})`);
    } else {
      const { name, version, optional, reason } = item as Record<string, unknown>;
      if (!isPluginName(name)) problems.push(nameProblem(`${at}.name`, name));
      if (version !== undefined && (typeof version !== 'string' || validRange(version) === null)) {
        problems.push(`${at}.version must be a valid semver range (got ${describeValue(version)})`);
      }
      if (optional !== undefined && typeof optional !== 'boolean') {
        problems.push(`${at}.optional must be a boolean (got ${describeValue(optional)})`);
      }
      if (reason !== undefined && typeof reason !== 'string') {
        problems.push(`${at}.reason must be a string (got ${describeValue(reason)})`);
      }
    }
  }
  return problems;
}
