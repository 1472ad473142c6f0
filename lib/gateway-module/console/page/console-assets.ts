import { API_JS } from './api.script.js';
import { DETAILS_JS } from './details.script.js';
import { FAVICON_SVG } from './favicon.js';
import { CONSOLE_CSS } from './console.style.js';
import { MAIN_JS } from './main.script.js';
import { RENDER_JS } from './render.script.js';
import { RATES_JS } from './rates.script.js';

export interface ConsoleAsset {
  contentType: string;
  body: string;
}

const script = (body: string): ConsoleAsset => ({ contentType: 'text/javascript; charset=utf-8', body });

/**
 * The page's scripts and stylesheet, by file name. They ship as strings in compiled modules,
 * because the package holds only tsc's output: nothing to copy, nothing for a user to build.
 */
export const CONSOLE_ASSETS: ReadonlyMap<string, ConsoleAsset> = new Map([
  ['main.js', script(MAIN_JS)],
  ['api.js', script(API_JS)],
  ['render.js', script(RENDER_JS)],
  ['details.js', script(DETAILS_JS)],
  ['rates.js', script(RATES_JS)],
  ['favicon.svg', { contentType: 'image/svg+xml', body: FAVICON_SVG }],
  ['console.css', { contentType: 'text/css; charset=utf-8', body: CONSOLE_CSS }],
]);
