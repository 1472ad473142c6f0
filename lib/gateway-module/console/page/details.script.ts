/**
 * Browser module `details.js`: the expandable row under a plugin, with what the table has no
 * room for: isolation, description, configuration (secrets already masked by the server),
 * routes, exposed methods, dependents, and its recent errors and log lines.
 */
export const DETAILS_JS = String.raw`
import { el } from './render.js';

function list(items, empty) {
  return items.length === 0 ? el('span', { class: 'muted' }, empty) : el('ul', {}, ...items.map((item) => el('li', {}, el('code', {}, item))));
}

function entry(term, ...description) {
  return [el('dt', {}, term), el('dd', {}, ...description)];
}

/** Where a plugin installed from a registry came from. */
function originOf(origin) {
  const line = (label, value) => el('li', {}, label + ': ', el('code', {}, value));
  return el(
    'ul',
    { class: 'origin' },
    line('registry', origin.registry),
    line('package', origin.package + '@' + origin.version),
    line('integrity', origin.integrity),
    line('signed by', origin.keyid || 'unsigned (allowUnsigned)'),
    line('provenance', origin.provenanceRepository || 'none'),
  );
}

/** The details of one plugin as a definition list. */
export function pluginDetails(plugin) {
  const details = plugin.details || { isolation: 'inline', routes: [], methods: [] };
  return el(
    'dl',
    { class: 'details' },
    ...entry('Isolation', details.isolation),
    ...(details.restarting ? entry('Restarting', 'restart ' + details.restarting.attempt + ' of ' + details.restarting.maxRestarts + ': ' + details.restarting.reason) : []),
    ...entry('Description', plugin.description || el('span', { class: 'muted' }, 'none')),
    ...entry('Config', details.config === undefined ? el('span', { class: 'muted' }, 'none') : el('pre', {}, JSON.stringify(details.config, null, 2))),
    ...entry('Routes', list(details.routes, 'none')),
    ...entry('Methods', list(details.methods, 'none')),
    ...entry('Dependents', list(plugin.dependents, 'none')),
    ...(details.origin ? entry('Origin', originOf(details.origin)) : []),
    ...entry('Recent errors', logList(details.logs ? details.logs.errors : [], 'errors')),
    ...entry('Recent log lines', logList(details.logs ? details.logs.lines : [], 'lines')),
  );
}

/** Newest first, each with its time, level and the fields the server kept (tenant, caller, trace). */
function logList(entries, kind) {
  if (entries.length === 0) return el('span', { class: 'muted' }, 'none');
  return el(
    'ul',
    { class: 'log-lines', 'data-log': kind },
    ...entries
      .slice()
      .reverse()
      .map((entry) =>
        el(
          'li',
          { 'data-level': entry.level },
          el('time', {}, entry.time.slice(11, 19)),
          ' ' + entry.level + ' ',
          el('span', { class: 'log-message' }, entry.message),
          ...(entry.tenant ? [' ', el('span', { class: 'muted' }, 'tenant ' + entry.tenant)] : []),
          ...(entry.caller ? [' ', el('span', { class: 'muted' }, 'from ' + entry.caller)] : []),
          ...(entry.traceId ? [' ', el('span', { class: 'muted' }, 'trace ' + entry.traceId.slice(0, 8))] : []),
        ),
      ),
  );
}
`;
