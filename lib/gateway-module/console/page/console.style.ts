/** Stylesheet `console.css`: system fonts, one colour per plugin state and service health. */
export const CONSOLE_CSS = String.raw`
/* display rules below would otherwise show hidden elements */
[hidden] { display: none !important; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
header { display: flex; align-items: center; gap: 1rem; padding: .6rem 1.2rem; background: #1d2330; color: #fff; }
header h1 { font-size: 1.1rem; margin: 0; flex: 1; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(34rem, 1fr)); gap: 1rem; padding: 1rem; }
.card { background: #fff; border-radius: 6px; padding: .8rem 1rem; box-shadow: 0 1px 2px rgb(0 0 0 / 12%); }
form.card { max-width: 30rem; margin: 2rem auto; }
h2 { font-size: 1rem; margin: 0 0 .6rem; }
h3 { font-size: .9rem; margin: .8rem 0 .3rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #e3e5ea; vertical-align: top; }
td ul { margin: 0; padding-left: 1rem; }
#plugins td:first-child, #plugins td:last-child { white-space: nowrap; }
form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-top: .6rem; }
button { cursor: pointer; }
#graph { max-width: 100%; }
.refusal, .unsatisfied { color: #b42318; }
.schema, .schema-pending { font-size: 12px; color: #5b6272; }
.schema-pending { color: #b54708; }
.state, .health, .connection { padding: .05rem .45rem; border-radius: 9px; background: #e3e5ea; color: #1d2330; }
.state-active, .health-HEALTHY, .connection-live { background: #d1fadf; }
.state-failed, .health-UNAVAILABLE, .connection-refused { background: #fee4e2; }
.state-stopping, .state-initializing, .state-resolving, .health-DEGRADED, .connection-reconnecting { background: #fef0c7; }
#activity { margin: 0; padding-left: 1.2rem; max-height: 14rem; overflow: auto; font-family: ui-monospace, monospace; font-size: 12px; }
`;
