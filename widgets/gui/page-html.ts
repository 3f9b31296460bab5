/** The page itself: a runs list, the open run's DAG and timeline, and the task panel. */
import { SCRIPT_PATHS } from "./page-assets.js";

/** The HTML of the page; asset URLs carry the token, which is URL-safe (base64url). */
export function pageHtml(token: string): string {
  const scripts = SCRIPT_PATHS.map((path) => `<script src="${path}?token=${token}"></script>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>workgraph</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>
  body { font: 13px/1.4 Helvetica, Arial, sans-serif; margin: 0; color: #1b1b1b; }
  header { padding: 8px 14px; background: #24323f; color: #fff; display: flex; gap: 14px; }
  header b { font-size: 15px; }
  #status { opacity: 0.8; }
  main { display: grid; grid-template-columns: 260px minmax(0, 1fr) 340px; min-height: calc(100vh - 38px); }
  section, aside { padding: 10px 14px; overflow: auto; }
  #runs-pane { border-right: 1px solid #ddd; }
  #task-pane { border-left: 1px solid #ddd; background: #fafafa; }
  h2 { font-size: 14px; margin: 4px 0 10px; }
  h3 { font-size: 12px; margin: 12px 0 4px; text-transform: uppercase; color: #555; }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: 3px 4px; border-bottom: 1px solid #eee; vertical-align: top; }
  #runs tr { cursor: pointer; }
  #runs tr:hover, #runs tr.open { background: #e8f1fa; }
  pre { white-space: pre-wrap; word-break: break-word; background: #fff; border: 1px solid #e4e4e4; padding: 6px; margin: 0; font-size: 11px; }
  .state { font-size: 11px; padding: 1px 5px; border-radius: 3px; background: #d9d9d9; }
  .state.RUNNING, .state.WAITING { background: #8cc4ec; } .state.FINISHED { background: #93d18b; }
  .state.FAILED, .state.EXCEPTED { background: #f2938c; } .state.SKIPPED { background: #f4d166; }
  .state.KILLED { background: #c9a7d9; }
  button.control { font-size: 11px; margin-left: 4px; cursor: pointer; }
  button.crumb { font: inherit; border: 0; background: none; padding: 0; color: #1f5f99; cursor: pointer; text-decoration: underline; }
  .muted { color: #777; }
  #run-error pre { background: #fdecea; color: #8a1c1c; border-color: #f2c4c0; margin-bottom: 8px; }
</style>
</head>
<body>
<header><b>workgraph</b><span id="status">connecting…</span></header>
<main>
  <section id="runs-pane"><h2>Runs</h2><table id="runs"></table></section>
  <section id="run-pane"><nav id="trail"></nav><h2 id="run-title" class="muted">Pick a run</h2><div id="run-error"></div><div id="dag"></div><div id="timeline"></div></section>
  <aside id="task-pane"><h2>Task</h2><div id="task" class="muted">Click a task in the graph.</div></aside>
</main>
${scripts.join("\n")}
</body>
</html>
`;
}
