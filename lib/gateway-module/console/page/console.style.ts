/**
 * Stylesheet `console.css`: system fonts, one colour per plugin state and service health. From
 * 360 px up: below 760 px every table stacks, one card per row with each cell under its label,
 * so nothing is ever wider than the screen.
 */
export const CONSOLE_CSS = String.raw`
/* display rules below would otherwise show hidden elements */
[hidden] { display: none !important; }
*, *::before, *::after { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .6rem 1.2rem; background: #1d2330; color: #fff; width: 100%; }
header h1 { font-size: 1.1rem; margin: 0; flex: 1; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(34rem, 100%), 1fr)); gap: 1rem; padding: 1rem; }
main > .card:first-child { grid-column: 1 / -1; }
.card { background: #fff; border-radius: 6px; padding: .8rem 1rem; box-shadow: 0 1px 2px rgb(0 0 0 / 12%); min-width: 0; }
form.card { max-width: 30rem; margin: 2rem auto; }
h2 { font-size: 1rem; margin: 0 0 .6rem; }
h3 { font-size: .9rem; margin: .8rem 0 .3rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #e3e5ea; vertical-align: top; overflow-wrap: anywhere; }
td ul { margin: 0; padding-left: 1rem; }
td.actions { white-space: nowrap; }
td.actions button { margin: 0 .15rem .15rem 0; }
.details-row > td { background: #f9fafb; }
dl.details { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .2rem 1rem; margin: .3rem 0; }
dl.details dt { font-weight: 600; }
dl.details dd { margin: 0; min-width: 0; }
dl.details pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; }
.muted { color: #5b6272; }
form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-top: .6rem; }
label { display: inline-flex; flex-wrap: wrap; align-items: center; gap: .3rem; max-width: 100%; }
input, select { max-width: 100%; min-width: 0; }
button { cursor: pointer; }
dialog { max-width: min(28rem, calc(100vw - 2rem)); border: 0; border-radius: 6px; box-shadow: 0 4px 16px rgb(0 0 0 / 25%); }
.dialog-actions { display: flex; justify-content: flex-end; gap: .5rem; margin-top: .8rem; }
#graph { max-width: 100%; }
.refusal, .unsatisfied { color: #b42318; }
.schema, .schema-pending { font-size: 12px; color: #5b6272; }
.schema-pending { color: #b54708; }
.state, .health, .connection { padding: .05rem .45rem; border-radius: 9px; background: #e3e5ea; color: #1d2330; }
.state-active, .health-HEALTHY, .connection-live { background: #d1fadf; }
.state-failed, .health-UNAVAILABLE, .connection-refused { background: #fee4e2; }
.state-stopping, .state-initializing, .state-resolving, .state-restarting, .health-DEGRADED, .connection-reconnecting { background: #fef0c7; }
#activity { margin: 0; padding-left: 1.2rem; max-height: 14rem; overflow: auto; font-family: ui-monospace, monospace; font-size: 12px; overflow-wrap: anywhere; }
@media (max-width: 760px) {
  header, main { padding: .6rem; }
  .card { padding: .6rem; }
  table, tbody, tr, td { display: block; width: 100%; }
  thead { display: none; }
  tr { border-bottom: 2px solid #e3e5ea; padding: .3rem 0; }
  td { border: 0; padding: .15rem .2rem .15rem 7.5rem; position: relative; min-height: 1.6rem; }
  td::before { content: attr(data-label); position: absolute; left: .2rem; width: 7rem; font-weight: 600; color: #5b6272; }
  td:empty, td.refusal:empty { display: none; }
  td.actions { white-space: normal; }
  .details-row > td { padding-left: .2rem; }
  .details-row > td::before { content: none; }
  dl.details { grid-template-columns: minmax(0, 1fr); }
}
`;
