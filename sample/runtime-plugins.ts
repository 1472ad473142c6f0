import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);

/** Beside the app: dist/plugins/runtime when built, plugins/runtime when run from TypeScript (tests). */
export const RUNTIME_PLUGINS_DIR = join(dirname(HERE), '..', 'plugins', 'runtime');

/** `.js` when built, `.ts` when run from TypeScript: runtime plugin files have the sample's own extension. */
export const RUNTIME_PLUGIN_EXTENSION = extname(HERE);
