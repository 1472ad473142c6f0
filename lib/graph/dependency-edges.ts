import type Range from 'semver/classes/range.js';
import type SemVer from 'semver/classes/semver.js';
import parse from 'semver/functions/parse.js';
import { parseRange } from './parse-range.js';
import { type DependencyProblem, HostVersionMismatchError, MissingDependencyError, VersionMismatchError } from '../errors/resolution.errors.js';
import type { PluginDependency } from '../interfaces/plugin-metadata.interface.js';
import { normalizeDependency } from '../metadata/normalize-dependency.js';
import type { HostVersion } from './host-version.js';
import { closestName } from '../metadata/closest-name.js';

export interface PluginNode {
  name: string;
  version: string;
  dependencies?: readonly PluginDependency[];
  /** semver range of host versions the plugin works with */
  hostRange?: string;
}

/**
 * The graph in compressed adjacency form (no per-plugin arrays): the dependencies of
 * plugin `i`, in declaration order, are `edgeTargets[edgeStart[i] .. edgeStart[i + 1])`.
 * Only installed dependencies are edges, optional ones included (`edgeRequired` tells them apart).
 */
export interface DependencyEdges {
  edgeStart: Int32Array;
  edgeTargets: Int32Array;
  /** 1 where the edge is a required dependency: only those pass a problem on to the dependent */
  edgeRequired: Uint8Array;
  /** per plugin, its host mismatch or else its first missing or mismatched dependency */
  ownProblems: (DependencyProblem | undefined)[];
  /** host mismatches, missing and mismatched dependencies, in registration then declaration order */
  problems: DependencyProblem[];
  /** absent optional dependencies, and host ranges left unchecked for want of a host version */
  warnings: string[];
}

export function buildDependencyEdges(nodes: readonly PluginNode[], host?: HostVersion): DependencyEdges {
  const indexByName = new Map<string, number>();
  nodes.forEach((node, index) => indexByName.set(node.name, index));
  const satisfies = createVersionChecker(nodes);

  const edgeStart = new Int32Array(nodes.length + 1);
  const edgeTargets: number[] = [];
  const edgeRequired: number[] = [];
  // lastSource[t] === i once edge i -> t exists: a dependency declared twice must not
  // become two edges, or a cycle through it would be reported twice.
  const lastSource = new Int32Array(nodes.length).fill(-1);
  const ownProblems = new Array<DependencyProblem | undefined>(nodes.length);
  const problems: DependencyProblem[] = [];
  const warnings: string[] = [];

  for (let source = 0; source < nodes.length; source++) {
    edgeStart[source] = edgeTargets.length;
    const node = nodes[source];
    const report = (problem: DependencyProblem) => {
      problems.push(problem);
      ownProblems[source] ??= problem;
    };

    if (node.hostRange !== undefined) {
      if (host === undefined) {
        warnings.push(`Plugin "${node.name}" requires host ${node.hostRange}, but no hostVersion is set: the range is not checked`);
      } else if (!host.satisfies(node.hostRange)) {
        report(new HostVersionMismatchError(node.name, node.hostRange, host.text));
      }
    }

    for (const declared of node.dependencies ?? []) {
      const dependency = normalizeDependency(declared);
      const target = indexByName.get(dependency.name);
      if (target === undefined) {
        if (dependency.optional) {
          warnings.push(
            `Plugin "${node.name}" optionally depends on "${dependency.name}" (${describeRange(dependency.version)}), which is not installed`,
          );
        } else {
          const range = dependency.version === '*' ? undefined : dependency.version;
          report(new MissingDependencyError(node.name, dependency.name, range, closestName(dependency.name, indexByName.keys())));
        }
        continue;
      }
      if (!satisfies(target, dependency.version)) {
        report(new VersionMismatchError(node.name, dependency.name, nodes[target].version, dependency.version));
      }
      if (lastSource[target] !== source) {
        lastSource[target] = source;
        edgeTargets.push(target);
        edgeRequired.push(dependency.optional ? 0 : 1);
      }
    }
  }
  edgeStart[nodes.length] = edgeTargets.length;

  return { edgeStart, edgeTargets: Int32Array.from(edgeTargets), edgeRequired: Uint8Array.from(edgeRequired), ownProblems, problems, warnings };
}

function describeRange(range: string): string {
  return range === '*' ? 'any version' : range;
}

/**
 * `satisfies(target, range)`. Each distinct range and version string is parsed once per
 * resolution, and each (range, version) verdict computed once: many plugins depend on the
 * same few plugins with the same ranges, and `Range.test` dominates otherwise. An
 * unparsable range or version satisfies nothing, so it surfaces as a mismatch, not a crash.
 */
function createVersionChecker(nodes: readonly PluginNode[]): (target: number, range: string) => boolean {
  const rangeVerdicts = new Map<string, { range: Range | null; byVersion: Map<string, boolean> }>();
  const versions = new Map<string, SemVer | null>();

  return (target, rangeText) => {
    if (rangeText === '*') return true;
    let entry = rangeVerdicts.get(rangeText);
    if (entry === undefined) {
      entry = { range: parseRange(rangeText), byVersion: new Map() };
      rangeVerdicts.set(rangeText, entry);
    }
    const versionText = nodes[target].version;
    let verdict = entry.byVersion.get(versionText);
    if (verdict === undefined) {
      let version = versions.get(versionText);
      if (version === undefined) {
        version = parse(versionText);
        versions.set(versionText, version);
      }
      verdict = entry.range !== null && version !== null && entry.range.test(version);
      entry.byVersion.set(versionText, verdict);
    }
    return verdict;
  };
}
