/**
 * Browser module `rates.js`: the Rates panel. Every 2 s, while the console is open, it asks for
 * each plugin's calls/s, error rate and p95 over the last minute and redraws the table.
 */
export const RATES_JS = String.raw`
import { getJson } from './api.js';
import { el } from './render.js';

const RATES_REFRESH_MS = 2000;

function row(rates) {
  return el(
    'tr',
    { 'data-rates-for': rates.plugin },
    el('td', { 'data-label': 'Plugin' }, rates.plugin),
    el('td', { 'data-label': 'Calls/s', 'data-calls-per-second': String(rates.callsPerSecond) }, rates.callsPerSecond.toFixed(1)),
    el('td', { 'data-label': 'Errors', 'data-error-rate': String(rates.errorRate) }, (rates.errorRate * 100).toFixed(1) + ' %'),
    el('td', { 'data-label': 'p95' }, rates.p95Seconds === undefined ? '—' : (rates.p95Seconds * 1000).toFixed(2) + ' ms'),
  );
}

async function refreshRates() {
  if (document.getElementById('console').hidden) return;
  try {
    const { windowSeconds, plugins } = await getJson('/console/rates');
    document.getElementById('rates-window').textContent = 'last ' + windowSeconds + ' s';
    document.querySelector('#rates tbody').replaceChildren(...plugins.map(row));
  } catch {
    // The key form shows why when the key is refused; a dropped request is retried on the next tick.
  }
}

setInterval(refreshRates, RATES_REFRESH_MS);
refreshRates();
`;
