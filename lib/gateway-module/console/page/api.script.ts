/**
 * Browser module `api.js`: the operator key and every call to the gateway. Data calls send
 * the key in its header; the event stream (EventSource sends no headers) gets it from a
 * cookie the server sets (HttpOnly, limited to the stream's path) when asked with the key.
 * The key lives in sessionStorage: gone with the tab.
 */
export const API_JS = String.raw`
const settings = document.body.dataset;
const STORAGE_KEY = 'plugin-console-key';
const streamPath = settings.gateway + '/console/events';
const streamCookiePath = '/console/stream-cookie';

export function storedKey() {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function rememberKey(key) {
  sessionStorage.setItem(STORAGE_KEY, key);
}

/** The request dropping the cookie, which a new stream waits for so that it cannot drop the new one. */
let forgetting = Promise.resolve();

/** Forgets the key here and asks the server to drop the stream's cookie. */
export function forgetKey() {
  sessionStorage.removeItem(STORAGE_KEY);
  forgetting = fetch(settings.gateway + streamCookiePath, { method: 'DELETE' }).then(
    () => undefined,
    () => undefined,
  );
}

/** An answer other than 2xx, with the message the server gave. */
export class RefusedError extends Error {
  constructor(status, body) {
    const message = Array.isArray(body.message) ? body.message.join('; ') : body.message || 'HTTP ' + status;
    super(body.code ? message + ' (' + body.code + ')' : message);
    this.status = status;
  }
}

async function send(path, options = {}) {
  const headers = { ...options.headers };
  const key = storedKey();
  if (key !== null) headers[settings.keyHeader] = key;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(settings.gateway + path, {
    method: options.method || 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (!response.ok) throw new RefusedError(response.status, await response.json().catch(() => ({})));
  return response;
}

export async function getJson(path) {
  return (await send(path)).json();
}

export async function postJson(path, body) {
  return (await send(path, { method: 'POST', body })).json();
}

/** The graph as an object URL of its SVG, for an img element (an img runs no script inside the SVG). */
export async function graphImageUrl() {
  return URL.createObjectURL(await (await send('/console/graph.svg')).blob());
}

/**
 * Calls onEvent with each event of the stream and onStatus with 'live', 'reconnecting' or
 * 'refused'; undefined when the server would not set the stream's cookie.
 */
export async function openStream(onEvent, onStatus) {
  await forgetting;
  try {
    if (storedKey() !== null) await send(streamCookiePath, { method: 'POST' });
  } catch {
    onStatus('refused');
    return undefined;
  }
  const stream = new EventSource(streamPath);
  stream.onopen = () => onStatus('live');
  stream.onmessage = (message) => onEvent(JSON.parse(message.data));
  // EventSource retries by itself after a dropped connection, but gives up on a refused one (CLOSED).
  stream.onerror = () => onStatus(stream.readyState === EventSource.CLOSED ? 'refused' : 'reconnecting');
  return stream;
}
`;
