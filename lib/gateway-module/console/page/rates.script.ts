/**
 * Browser module `rates.js`: the Rates panel. Every 2 s, while the console is open, it asks for
 * each plugin's calls/s, error rate and p95 over the last minute and redraws the table. In
 * cluster mode a selector shows this instance, another one, or the sum over the live ones.
 */
export const RATES_JS = String.raw`
import { getJson } from './api.js';
import { el } from './render.js';

const RATES_REFRESH_MS = 2000;
const selector = document.getElementById('rates-node');

function row(rates) {
  return el(
    'tr',
    { 'data-rates-for': rates.plugin },
    el('td', { 'data-label': 'Plugin' }, rates.plugin),
    el('td', { 'data-label': 'Calls/s', 'data-calls-per-second': String(rates.callsPerSecond), 'data-calls': String(rates.calls) }, rates.callsPerSecond.toFixed(1)),
    el('td', { 'data-label': 'Errors', 'data-error-rate': String(rates.errorRate) }, (rates.errorRate * 100).toFixed(1) + ' %'),
    el('td', { 'data-label': 'p95' }, rates.p95Seconds === undefined ? '—' : (rates.p95Seconds * 1000).toFixed(2) + ' ms'),
  );
}

/** "this instance", each other instance, "all instances (sum)"; only shown when there is more than one. */
function showInstances(nodes) {
  const options = [['', 'this instance']];
  for (const node of nodes) {
    if (!node.self) options.push([node.nodeId, node.nodeId + (node.status === 'alive' ? '' : ' (' + node.status + ')')]);
  }
  options.push(['all', 'all instances (sum)']);
  const chosen = selector.value;
  const same = selector.options.length === options.length && options.every(([value, text], index) => selector.options[index].value === value && selector.options[index].text === text);
  if (!same) {
    selector.replaceChildren(...options.map(([value, text]) => el('option', { value }, text)));
    selector.value = options.some(([value]) => value === chosen) ? chosen : '';
  }
  selector.hidden = nodes.length < 2;
}

async function refreshRates() {
  if (document.getElementById('console').hidden) return;
  try {
    const node = selector.value;
    const { windowSeconds, nodes, plugins } = await getJson('/console/rates' + (node === '' ? '' : '?node=' + encodeURIComponent(node)));
    if (selector.value !== node) return;
    showInstances(nodes);
    document.getElementById('rates-window').textContent = 'last ' + windowSeconds + ' s';
    document.querySelector('#rates tbody').replaceChildren(...plugins.map(row));
  } catch {
    // The key form shows why when the key is refused; a dropped request is retried on the next tick.
  }
}

selector.addEventListener('change', refreshRates);
setInterval(refreshRates, RATES_REFRESH_MS);
refreshRates();
`;
