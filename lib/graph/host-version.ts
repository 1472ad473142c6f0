import type SemVer from 'semver/classes/semver.js';
import parse from 'semver/functions/parse.js';
import { parseRange } from './parse-range.js';
import { describeValue } from '../metadata/problem-text.js';

/**
 * The host's version, as plugins' `hostRange` are checked against it. npm's rule applies: a
 * prerelease host (`4.0.0-beta`) satisfies only ranges that name a prerelease of the same
 * version, so `>=3.x` does not accept it. Each distinct range is tested once.
 */
export class HostVersion {
  private readonly version: SemVer;
  private readonly verdicts = new Map<string, boolean>();

  constructor(readonly text: string) {
    const version = typeof text === 'string' ? parse(text) : null;
    if (version === null) throw new TypeError(`hostVersion must be a valid semver version (got ${describeValue(text)})`);
    this.version = version;
  }

  /** An unparsable range satisfies nothing, so it surfaces as a mismatch, not a crash. */
  satisfies(range: string): boolean {
    let verdict = this.verdicts.get(range);
    if (verdict === undefined) {
      verdict = parseRange(range)?.test(this.version) ?? false;
      this.verdicts.set(range, verdict);
    }
    return verdict;
  }
}
