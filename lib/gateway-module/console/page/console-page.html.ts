/** Where the page finds the gateway's routes and the name of the key header; nothing secret. */
export interface ConsolePageSettings {
  /** the page's own path, without a trailing slash (assets are below it) */
  pagePath: string;
  /** the gateway's routes (`…/api/plugin-gateway`) */
  gatewayPath: string;
  keyHeader: string;
}

/**
 * The console's HTML: static markup that main.js fills in. It holds no data, so it is served
 * without a key; everything shown comes from the keyed routes.
 */
export function renderConsolePage({ pagePath, gatewayPath, keyHeader }: ConsolePageSettings): string {
  const assets = `${escapeHtml(pagePath)}/assets`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Plugin console</title>
  <link rel="icon" type="image/svg+xml" href="${assets}/favicon.svg">
  <link rel="stylesheet" href="${assets}/console.css">
  <script type="module" src="${assets}/main.js"></script>
  <script type="module" src="${assets}/rates.js"></script>
</head>
<body data-gateway="${escapeHtml(gatewayPath)}" data-key-header="${escapeHtml(keyHeader)}">
  <header>
    <h1>Plugin console</h1>
    <span id="connection" class="connection">offline</span>
    <button id="forget-key" type="button" hidden>Forget key</button>
  </header>

  <form id="key-form" class="card" hidden>
    <label>Operator key <input name="key" type="password" autocomplete="current-password" required></label>
    <button type="submit">Open</button>
    <p id="key-error" class="refusal" role="alert"></p>
  </form>

  <main id="console" hidden>
    <section class="card">
      <h2>Plugins</h2>
      <table id="plugins">
        <thead><tr><th>Plugin</th><th>Version</th><th>State</th><th>Dependencies</th><th>Error</th><th>Actions</th></tr></thead>
        <tbody></tbody>
      </table>
      <form id="load-form">
        <label>Load <select name="source" aria-label="A plugin file in runtimePluginsDir or an installed plugin package"></select></label>
        <label>or name one <input name="typed" placeholder="file.plugin.js or package" aria-label="A plugin file or package name"></label>
        <button type="submit">Load</button>
      </form>
      <form id="install-form">
        <label>Install from the registry <input name="spec" placeholder="@acme/plugin@^1" aria-label="A registry package and range: name@range"></label>
        <button type="submit">Install</button>
      </form>
      <p id="action-result" role="status"></p>
      <dialog id="unload-dialog" aria-labelledby="unload-question">
        <p id="unload-question"></p>
        <p id="unload-dependents"></p>
        <label><input id="unload-cascade" type="checkbox"> unload dependents too</label>
        <div class="dialog-actions">
          <button id="unload-cancel" type="button">Cancel</button>
          <button id="unload-confirm" type="button">Unload</button>
        </div>
      </dialog>
    </section>

    <section class="card">
      <h2>Dependency graph</h2>
      <img id="graph" alt="Dependency graph of the plugins">
      <p id="graph-error" class="refusal"></p>
    </section>

    <section class="card">
      <h2>Services <button id="refresh-services" type="button">Refresh</button></h2>
      <div id="services"></div>
    </section>

    <section class="card">
      <h2>Shared data</h2>
      <form id="shared-data-form">
        <label>Tenant <input name="tenant" required></label>
        <label>Namespace <input name="namespace" required></label>
        <button type="submit">Show</button>
      </form>
      <p id="shared-data-error" class="refusal"></p>
      <table id="shared-data">
        <thead><tr><th>Key</th><th>Owner</th><th>Expires</th><th>Value</th></tr></thead>
        <tbody></tbody>
      </table>
    </section>

    <section class="card">
      <h2>Rates <span id="rates-window" class="muted"></span>
        <select id="rates-node" aria-label="Instance" hidden><option value="">this instance</option></select></h2>
      <table id="rates">
        <thead><tr><th>Plugin</th><th>Calls/s</th><th>Errors</th><th>p95</th></tr></thead>
        <tbody></tbody>
      </table>
    </section>

    <section class="card">
      <h2>Activity</h2>
      <ol id="activity"></ol>
    </section>
  </main>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
