/**
 * Browser module `main.js`: asks for the key when the gateway refuses, then shows the data,
 * keeps it current from the event stream, and sends the operator's actions.
 */
export const MAIN_JS = String.raw`
import { forgetKey, getJson, graphImageUrl, openStream, postJson, rememberKey, storedKey } from './api.js';
import { pluginDetails } from './details.js';
import { el, logActivity, renderPlugins, renderServices, renderSharedData } from './render.js';

const $ = (id) => document.getElementById(id);
const SERVICES_REFRESH_MS = 15000;
let stream;
let servicesTimer;
/** plugins whose details row is open: kept across the re-renders the stream causes */
const expanded = new Set();
/** the plugin the unload dialog asks about */
let unloading;

const actions = {
  unload: (plugin) => confirmUnload(plugin),
  reload: (plugin) => act('reload ' + plugin.name, '/plugins/' + encodeURIComponent(plugin.name) + '/reload'),
  uninstall: (plugin) => {
    if (confirm('Uninstall ' + plugin.name + '? Its files are removed; its data is kept.')) act('uninstall ' + plugin.name, '/plugins/' + encodeURIComponent(plugin.name) + '/uninstall');
  },
};

/** Install from the registry: a package and a range, verified by the server before any of it runs. */
$('install-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const spec = $('install-form').spec.value.trim();
  if (spec !== '') act('install ' + spec, '/plugins/install', { spec });
});

/** Unload only once confirmed; whether its dependents go too is asked there. */
function confirmUnload(plugin) {
  unloading = plugin.name;
  $('unload-question').textContent = 'Unload ' + plugin.name + '?';
  $('unload-dependents').textContent = plugin.dependents.length === 0 ? 'No plugin requires it.' : 'Required by: ' + plugin.dependents.join(', ');
  $('unload-cascade').checked = false;
  $('unload-dialog').showModal();
}

$('unload-cancel').addEventListener('click', () => $('unload-dialog').close());
$('unload-confirm').addEventListener('click', () => {
  $('unload-dialog').close();
  act('unload ' + unloading, '/plugins/' + encodeURIComponent(unloading) + '/unload?cascade=' + $('unload-cascade').checked);
});

/** The Load picker: the files in runtimePluginsDir, then the installed plugin packages. */
async function refreshSources() {
  const select = $('load-form').source;
  try {
    const { files, packages } = await getJson('/console/sources');
    const chosen = select.value;
    const group = (label, names) => names.length === 0 ? undefined : el('optgroup', { label }, ...names.map((name) => el('option', { value: name }, name)));
    select.replaceChildren(el('option', { value: '' }, files.length + packages.length === 0 ? 'nothing to load' : 'choose…'), group('Files in runtimePluginsDir', files), group('Installed packages', packages));
    select.value = [...select.options].some((option) => option.value === chosen) ? chosen : '';
  } catch (error) {
    select.replaceChildren(el('option', { value: '' }, 'sources unavailable: ' + error.message));
  }
}

/** Sends an action; the new state arrives through the stream, a refusal is shown as it came back. */
async function act(what, path, body) {
  const result = $('action-result');
  result.className = '';
  result.textContent = what + '…';
  try {
    await postJson(path, body);
    result.textContent = what + ': done';
  } catch (error) {
    if (error.status === 401) return askForKey('The key was refused');
    result.className = 'refusal';
    result.textContent = what + ' refused: ' + error.message;
    logActivity($('activity'), what + ' refused: ' + error.message, true);
  }
}

function showPlugins(plugins) {
  renderPlugins(document.querySelector('#plugins tbody'), plugins, actions, expanded, pluginDetails);
}

async function refreshGraph() {
  try {
    const previous = $('graph').src;
    $('graph').src = await graphImageUrl();
    if (previous.startsWith('blob:')) URL.revokeObjectURL(previous);
    $('graph-error').textContent = '';
  } catch (error) {
    $('graph-error').textContent = 'No graph: ' + error.message;
  }
}

async function refreshServices() {
  try {
    renderServices($('services'), (await getJson('/console/services')).tenants);
  } catch (error) {
    $('services').textContent = 'Services unavailable: ' + error.message;
  }
}

function onEvent(event) {
  showPlugins(event.plugins);
  // New log lines change only the rows' details: no activity line, no new graph.
  if (event.type === 'snapshot' || event.type === 'logs') return;
  const plugin = event.plugin || 'host';
  // A reload is an unload then a load: one line, 'reloaded', instead of both.
  if (event.type === 'reloaded') $('activity').querySelector('li[data-event="unloaded"][data-plugin="' + CSS.escape(plugin) + '"]')?.remove();
  const failed = event.type === 'error' || event.type === 'crashed' || event.type === 'restarting';
  logActivity($('activity'), plugin + ' ' + event.type + (event.message ? ': ' + event.message : ''), failed, event.type, plugin);
  refreshGraph();
  refreshServices();
  refreshSources();
}

function onStatus(status) {
  $('connection').textContent = status;
  $('connection').className = 'connection connection-' + status;
}

async function open() {
  try {
    showPlugins((await getJson('/console/plugins')).plugins);
  } catch (error) {
    if (error.status !== 401) return askForKey(error.message);
    return askForKey(storedKey() === null ? '' : 'The key was refused');
  }
  $('key-form').hidden = true;
  $('console').hidden = false;
  $('forget-key').hidden = false;
  stream = await openStream(onEvent, onStatus);
  refreshGraph();
  refreshServices();
  refreshSources();
  servicesTimer = setInterval(refreshServices, SERVICES_REFRESH_MS);
}

/** Shows nothing but the key form: no key, no data. */
function askForKey(reason) {
  stream?.close();
  clearInterval(servicesTimer);
  forgetKey();
  onStatus('offline');
  $('console').hidden = true;
  $('forget-key').hidden = true;
  for (const tbody of document.querySelectorAll('#console tbody')) tbody.replaceChildren();
  $('services').replaceChildren();
  $('key-form').hidden = false;
  $('key-error').textContent = reason || '';
}

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  rememberKey(event.target.key.value);
  event.target.reset();
  open();
});

$('forget-key').addEventListener('click', () => askForKey());

/** A typed name wins over the picked one; a compiled file name is a file, anything else a package. */
$('load-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = event.target.typed.value.trim() || event.target.source.value;
  if (!name) return;
  act('load ' + name, '/plugins/load', /\.m?js$/.test(name) ? { file: name } : { package: name });
});

$('refresh-services').addEventListener('click', refreshServices);

$('shared-data-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const query = new URLSearchParams({ tenant: event.target.tenant.value, namespace: event.target.namespace.value });
  try {
    renderSharedData(document.querySelector('#shared-data tbody'), (await getJson('/console/shared-data?' + query)).entries);
    $('shared-data-error').textContent = '';
  } catch (error) {
    $('shared-data-error').textContent = error.message;
  }
});

open();
`;
