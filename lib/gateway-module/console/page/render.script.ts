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

const PLUGIN_COLUMNS = ['Plugin', 'Version', 'State', 'Dependencies', 'Error', 'Actions'];

/** A cell that names its column, for the stacked layout of narrow screens. */
function cell(label, attributes, ...children) {
  return el('td', { ...attributes, 'data-label': label }, ...children);
}

/**
 * Two rows per plugin: its summary, then its details (shown for names in expanded, toggled by
 * Details). actions.unload, actions.reload and (for a plugin installed from a registry) actions.uninstall are called with the plugin.
 */
export function renderPlugins(tbody, plugins, actions, expanded, detailsOf) {
  tbody.replaceChildren(
    ...plugins.flatMap((plugin) => {
      const details = el('tr', { class: 'details-row', 'data-details-for': plugin.name }, el('td', { colspan: String(PLUGIN_COLUMNS.length) }, detailsOf(plugin)));
      details.hidden = !expanded.has(plugin.name);
      const toggle = () => {
        details.hidden = !details.hidden;
        if (details.hidden) expanded.delete(plugin.name);
        else expanded.add(plugin.name);
        summary.querySelector('[data-action=details]').setAttribute('aria-expanded', String(!details.hidden));
      };
      const summary = el(
        'tr',
        { 'data-plugin': plugin.name, 'data-state': plugin.state },
        cell('Plugin', { title: plugin.description || '' }, plugin.name),
        cell('Version', {}, plugin.version, ...schemaCell(plugin.schema)),
        cell('State', {}, el('span', { class: 'state state-' + plugin.state }, plugin.state)),
        cell('Dependencies', {}, el('ul', {}, ...plugin.dependencies.map((dependency) =>
          el('li', { class: dependency.satisfied ? '' : 'unsatisfied' }, dependencyText(dependency))))),
        cell('Error', { class: 'refusal' }, plugin.error || ''),
        cell(
          'Actions',
          { class: 'actions' },
          el('button', { type: 'button', 'data-action': 'details', 'aria-expanded': String(!details.hidden), onclick: toggle }, 'Details'),
          el('button', { type: 'button', 'data-action': 'reload', onclick: () => actions.reload(plugin) }, 'Reload'),
          el('button', { type: 'button', 'data-action': 'unload', onclick: () => actions.unload(plugin) }, 'Unload'),
          ...(plugin.details?.origin ? [el('button', { type: 'button', 'data-action': 'uninstall', onclick: () => actions.uninstall(plugin) }, 'Uninstall')] : []),
        ),
      );
      return [summary, details];
    }),
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
              cell('Service', {}, service.serviceName),
              cell('Plugin', {}, service.pluginId),
              cell('Kind', {}, service.kind === 'remote' ? 'remote (' + service.baseUrl + ')' : 'local'),
              cell('Version', {}, service.version),
              cell('Health', {}, el('span', { class: 'health health-' + service.state }, service.state)),
              cell('Last heartbeat', {}, service.lastHeartbeatAt || ''),
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
        cell('Key', {}, entry.key),
        cell('Owner', {}, entry.ownerId),
        cell('Expires', {}, entry.expiresAt || 'never'),
        cell('Value', {}, el('code', {}, JSON.stringify(entry.value))),
      ),
    ),
  );
}

const ACTIVITY_LIMIT = 50;

/** Newest first; refusals marked so they stand out. event and plugin let a later line replace this one. */
export function logActivity(list, text, refused = false, event = '', plugin = '') {
  list.prepend(el('li', { class: refused ? 'refusal' : '', 'data-event': event, 'data-plugin': plugin }, new Date().toLocaleTimeString() + '  ' + text));
  while (list.children.length > ACTIVITY_LIMIT) list.lastElementChild.remove();
}
`;
