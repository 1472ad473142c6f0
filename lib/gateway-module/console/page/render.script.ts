/**
 * Browser module `render.js`: turns the gateway's JSON into table rows. Text goes in as
 * textContent only, so a plugin name or shared value can never become markup.
 */
export const RENDER_JS = String.raw`
/** An element with attributes (on* names become listeners) and children (strings become text). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value);
  }
  element.append(...children.filter((child) => child !== undefined && child !== null));
  return element;
}

function dependencyText(dependency) {
  const notes = [dependency.optional ? 'optional' : '', dependency.satisfied ? '' : 'unsatisfied'].filter(Boolean);
  return dependency.name + ' ' + dependency.range + (notes.length > 0 ? ' (' + notes.join(', ') + ')' : '');
}

/** Under the version: the schema's last applied migration, and how many are pending (named in the title). */
function schemaCell(schema) {
  if (!schema) return [];
  const pending = schema.pending.length;
  return [
    el('div', { class: 'schema', 'data-schema': schema.version || '' }, 'schema: ' + (schema.version || 'none')),
    ...(pending > 0 ? [el('div', { class: 'schema-pending', title: schema.pending.join(', ') }, pending + ' pending')] : []),
  ];
}

/** One row per plugin; actions.unload and actions.reload are called with the plugin's name. */
export function renderPlugins(tbody, plugins, actions) {
  tbody.replaceChildren(
    ...plugins.map((plugin) =>
      el(
        'tr',
        { 'data-plugin': plugin.name, 'data-state': plugin.state },
        el('td', { title: plugin.description || '' }, plugin.name),
        el('td', {}, plugin.version, ...schemaCell(plugin.schema)),
        el('td', {}, el('span', { class: 'state state-' + plugin.state }, plugin.state)),
        el('td', {}, el('ul', {}, ...plugin.dependencies.map((dependency) =>
          el('li', { class: dependency.satisfied ? '' : 'unsatisfied' }, dependencyText(dependency))))),
        el('td', { class: 'refusal' }, plugin.error || ''),
        el(
          'td',
          {},
          el('button', { type: 'button', 'data-action': 'reload', onclick: () => actions.reload(plugin.name) }, 'Reload'),
          el('button', { type: 'button', 'data-action': 'unload', onclick: () => actions.unload(plugin.name) }, 'Unload'),
        ),
      ),
    ),
  );
}

/** A table per tenant: the services it sees on its own, after those every tenant sees. */
export function renderServices(container, tenants) {
  container.replaceChildren(
    ...tenants.map((group) =>
      el(
        'div',
        { 'data-tenant': group.tenantId === null ? '' : group.tenantId },
        el('h3', {}, group.tenantId === null ? 'Every tenant' : 'Tenant ' + group.tenantId),
        el(
          'table',
          {},
          el('thead', {}, el('tr', {}, ...['Service', 'Plugin', 'Kind', 'Version', 'Health', 'Last heartbeat'].map((title) => el('th', {}, title)))),
          el('tbody', {}, ...group.services.map((service) =>
            el(
              'tr',
              { 'data-service': service.serviceName },
              el('td', {}, service.serviceName),
              el('td', {}, service.pluginId),
              el('td', {}, service.kind === 'remote' ? 'remote (' + service.baseUrl + ')' : 'local'),
              el('td', {}, service.version),
              el('td', {}, el('span', { class: 'health health-' + service.state }, service.state)),
              el('td', {}, service.lastHeartbeatAt || ''),
            ))),
        ),
      ),
    ),
  );
}

export function renderSharedData(tbody, entries) {
  tbody.replaceChildren(
    ...entries.map((entry) =>
      el(
        'tr',
        { 'data-key': entry.key },
        el('td', {}, entry.key),
        el('td', {}, entry.ownerId),
        el('td', {}, entry.expiresAt || 'never'),
        el('td', {}, el('code', {}, JSON.stringify(entry.value))),
      ),
    ),
  );
}

const ACTIVITY_LIMIT = 50;

/** Newest first; refusals marked so they stand out. */
export function logActivity(list, text, refused = false) {
  list.prepend(el('li', { class: refused ? 'refusal' : '' }, new Date().toLocaleTimeString() + '  ' + text));
  while (list.children.length > ACTIVITY_LIMIT) list.lastElementChild.remove();
}
`;
