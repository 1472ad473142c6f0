import validRange from 'semver/ranges/valid.js';
import { isPackageName } from '../host/plugin-package-name.js';

/** What `install('<name>@<range>')` asks for. */
export interface InstallSpec {
  readonly name: string;
  /** a semver range or a dist-tag; `latest` when none is written */
  readonly range: string;
}

const DIST_TAG = /^[a-z][\w.-]*$/i;

/** `@acme/x@^1`, `x@1.2.3`, `x@latest` or `x`; anything else (a URL, a path, a git spec) is refused by the caller. */
export function parseInstallSpec(text: string): InstallSpec | undefined {
  if (typeof text !== 'string') return undefined;
  const at = text.indexOf('@', 1);
  const name = at === -1 ? text : text.slice(0, at);
  const range = at === -1 ? 'latest' : text.slice(at + 1).trim();
  if (!isPackageName(name) || range === '') return undefined;
  if (validRange(range) === null && !DIST_TAG.test(range)) return undefined;
  return { name, range };
}
