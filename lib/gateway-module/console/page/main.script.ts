/**
 * Browser module `main.js`: asks for the key when the gateway refuses, then shows the data,
 * keeps it current from the event stream, and sends the operator's actions.
 */
export const MAIN_JS = String.raw`
import { forgetKey, getJson, graphImageUrl, openStream, postJson, rememberKey, storedKey } from './api.js';
import { logActivity, renderPlugins, renderServices, renderSharedData } from './render.js';

const $ = (id) => document.getElementById(id);
const SERVICES_REFRESH_MS = 15000;
let stream;
let servicesTimer;

const actions = {
  unload: (name) => act('unload ' + name, '/plugins/' + encodeURIComponent(name) + '/unload?cascade=' + $('load-form').cascade.checked),
  reload: (name) => act('reload ' + name, '/plugins/' + encodeURIComponent(name) + '/reload'),
};

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
  renderPlugins(document.querySelector('#plugins tbody'), plugins, actions);
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
  if (event.type === 'snapshot') return;
  logActivity($('activity'), (event.plugin || 'host') + ' ' + event.type + (event.message ? ': ' + event.message : ''), event.type === 'error');
  refreshGraph();
  refreshServices();
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

$('load-form').addEventListener('submit', (event) => {
  event.preventDefault();
  act('load ' + event.target.file.value, '/plugins/load', { file: event.target.file.value });
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
