import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled guest entry beside this file. */
export const GUEST_ENTRY_URL = new URL('../guest/guest.main.js', import.meta.url);

/** The library's compiled folder (`dist/lib`): a guest in a contained process may read it. */
export const LIBRARY_DIRECTORY = dirname(dirname(dirname(fileURLToPath(GUEST_ENTRY_URL))));

/** Guests need the compiled library: from TypeScript sources (ts-node, Jest over lib/) there is no entry to run. */
export function guestEntryMissing(): boolean {
  return !existsSync(GUEST_ENTRY_URL);
}
