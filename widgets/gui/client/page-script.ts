/**
 * The page's script. It runs in the browser: the server sends this function's source, so
 * it may use nothing from outside its body but what `env` hands in and the language itself.
 *
 * It lists the runs, shows the open run's DAG and timeline with vega-embed, applies the
 * server's patches as vega changesets (zoom and selection stay), and fills the task panel
 * when a task is clicked. A click on a flow task (a nested flow or WorkGraph) opens its child
 * run, with breadcrumbs back to the runs above it.
 */
import type { View } from "vega";
import type { TopLevelSpec } from "vega-lite";
import type { NodeDatum, EdgeDatum } from "../../dag/dag-data.js";
import type { TimelineDatum } from "../../timeline/timeline-data.js";
import type { ChartSize, ServerMessage } from "../page-protocol.js";
import type { RunSummary, TaskDetail } from "../run-source.js";
import type { Embedded, PageElement, PageEnv } from "./page-env.js";

/** Runs the page. */
export function pageScript(env: PageEnv): void {
  const { document: doc, vega, hooks } = env;
  const byId = (id: string): PageElement => {
    const element = doc.getElementById(id);
    if (element === null) throw new Error(`The page has no #${id}`);
    return element;
  };
  const make = (tag: string, text?: string, className?: string): PageElement => {
    const element = doc.createElement(tag);
    if (text !== undefined) element.textContent = text;
    if (className !== undefined) element.className = className;
    return element;
  };
  const time = (ms: number | null): string =>
    ms === null ? "" : new Date(ms).toLocaleTimeString();
  const status = byId("status");
  const token = new URLSearchParams(env.location.search).get("token") ?? "";
  const protocol = env.location.protocol === "https:" ? "wss" : "ws";
  const url = `${protocol}://${env.location.host}/ws?token=${encodeURIComponent(token)}`;

  let openRun: number | undefined;
  let openTask: number | undefined;
  let runs: readonly RunSummary[] = [];
  // the runs above the open one, outermost first, when it was opened from a parent's graph
  let trail: { readonly id: number; readonly label: string }[] = [];
  const children = new Map<number, RunSummary>();
  const summaryOf = (id: number | undefined): RunSummary | undefined =>
    runs.find((r) => r.id === id) ?? (id === undefined ? undefined : children.get(id));
  let views: { dag: Embedded; timeline: Embedded } | undefined;
  // Patches wait for the views they change; every message is handled in arrival order.
  let queue: Promise<void> = Promise.resolve();
  hooks.patches = 0;

  const send = (message: object): void => socket.send(JSON.stringify(message));

  function connect() {
    const ws = new env.WebSocket(url);
    ws.onopen = () => {
      status.textContent = "connected";
      send({ type: "runs" });
      if (openRun !== undefined) send({ type: "open", run: openRun });
    };
    ws.onclose = () => {
      status.textContent = "disconnected: reload the page to reconnect";
    };
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage;
      queue = queue
        .then(() => handle(message))
        .catch((error: unknown) => {
          status.textContent = `error: ${String(error)}`;
        });
    };
    return ws;
  }

  async function handle(message: ServerMessage): Promise<void> {
    switch (message.type) {
      case "runs":
        runs = message.runs;
        showRuns();
        return;
      case "graph":
        if (message.run === openRun) {
          await showGraph(message.dag, message.timeline, message.state, message.size);
        }
        return;
      case "patch":
        if (message.run === openRun && views !== undefined) {
          await applyPatch(views, message.nodes, message.edges, message.tasks, message.size);
          showTitle(message.state);
        }
        return;
      case "task":
        if (message.run === openRun && message.detail !== null) showTask(message.detail);
        return;
      case "child":
        if (message.run !== openRun) return;
        if (message.child === null) {
          showTaskOf(message.task);
          return;
        }
        openChild(message.run, message.child);
        return;
      case "controlled":
        status.textContent = `${message.action}: run ${message.run}`;
        return;
      case "error":
        status.textContent = message.message;
        return;
    }
  }

  function showRuns(): void {
    if (runs.length === 0) {
      const empty = make("tr");
      empty.append(
        make("td", "No runs yet: runs stored in this profile show here as they start.", "muted"),
      );
      byId("runs").replaceChildren(empty);
      return;
    }
    const rows = runs.map((run) => {
      const row = make("tr", undefined, run.id === openRun ? "open" : "");
      row.setAttribute("data-run", String(run.id));
      const state = make("td");
      state.append(make("span", run.state, `state ${run.state}`));
      row.append(
        state,
        make("td", `${run.pk}`, "muted pk"),
        make("td", run.name),
        make("td", time(run.createdAt), "muted started"),
        make("td", `${run.tasks}`, "muted"),
      );
      row.title = `pk ${run.pk} · started ${time(run.createdAt)} · ended ${time(run.endedAt) || "—"}`;
      row.addEventListener("click", () => {
        trail = [];
        open(run.id);
      });
      return row;
    });
    byId("runs").replaceChildren(...rows);
  }

  function openChild(parentId: number, child: RunSummary): void {
    const parent = summaryOf(parentId);
    trail = [
      ...trail,
      { id: parentId, label: `${parent?.name ?? "run"} (pk ${parent?.pk ?? "?"})` },
    ];
    children.set(child.id, child);
    open(child.id);
  }

  function showTrail(): void {
    const crumbs: (PageElement | string)[] = [];
    trail.forEach((crumb, i) => {
      const back = make("button", crumb.label, "crumb");
      back.setAttribute("data-run", String(crumb.id));
      back.addEventListener("click", () => {
        trail = trail.slice(0, i);
        open(crumb.id);
      });
      crumbs.push(back, " › ");
    });
    byId("trail").replaceChildren(...crumbs);
  }

  function open(id: number): void {
    openRun = id;
    showTrail();
    openTask = undefined;
    views?.dag.finalize();
    views?.timeline.finalize();
    views = undefined;
    byId("task").replaceChildren("Click a task in the graph.");
    showRuns();
    showTitle("");
    send({ type: "open", run: id });
  }

  function showTitle(state: string): void {
    const run = summaryOf(openRun);
    const title = byId("run-title");
    title.className = "";
    title.replaceChildren(`${run?.name ?? "run"} (pk ${run?.pk ?? "?"}) `);
    if (state !== "") title.append(make("span", state, `state ${state}`));
    // a run that ended on an error says which, above its (maybe empty) graph
    const error = run?.error ?? null;
    byId("run-error").replaceChildren(
      ...(error !== null && state !== "" ? [make("pre", error)] : []),
    );
    if (openRun === undefined || ["FINISHED", "EXCEPTED", "KILLED"].includes(state)) return;
    const id = openRun;
    for (const action of ["pause", "play", "kill"] as const) {
      const button = make("button", action, "control");
      button.setAttribute("data-action", action);
      button.addEventListener("click", () => send({ type: "control", run: id, action }));
      title.append(" ", button);
    }
  }

  // The DAG keeps its aspect (labels have a fixed size): scaled down to fit, never up.
  function fit(size: ChartSize): ChartSize {
    const room = { width: Math.max(300, byId("run-pane").clientWidth - 40), height: 460 };
    const scale = Math.min(1, room.width / size.width, room.height / size.height);
    return { width: Math.round(size.width * scale), height: Math.round(size.height * scale) };
  }

  async function showGraph(
    dag: TopLevelSpec,
    timeline: TopLevelSpec,
    state: string,
    size: ChartSize,
  ) {
    const shownRun = openRun;
    showTitle(state);
    const options = { renderer: "svg", actions: false } as const;
    // the timeline fits the pane's width, axis labels and legend included
    const width = Math.max(300, byId("run-pane").clientWidth - 40);
    const autosize = { type: "fit-x", contains: "padding" };
    // vega-embed warns about a v5 $schema under Vega-Lite 6; the specs use only v5 features
    const { $schema: _dagSchema, ...dagSpec } = dag;
    const { $schema: _timelineSchema, ...timelineSpec } = timeline;
    const embedded = {
      dag: await env.vegaEmbed("#dag", { ...dagSpec, ...fit(size) }, options),
      timeline: await env.vegaEmbed(
        "#timeline",
        { ...timelineSpec, width, autosize } as TopLevelSpec,
        options,
      ),
    };
    for (const view of [embedded.dag.view, embedded.timeline.view]) {
      view.addEventListener("click", (_event, item) => {
        const datum = (item as { datum?: { id?: unknown; kind?: unknown } } | null | undefined)
          ?.datum;
        if (typeof datum?.id !== "number") return;
        // a flow task opens its child run (or shows its panel when it has none)
        if (datum.kind === "flow") send({ type: "child", run: openRun, task: datum.id });
        else showTaskOf(datum.id);
      });
    }
    if (shownRun !== openRun) {
      // another run was opened while these were drawn
      embedded.dag.finalize();
      embedded.timeline.finalize();
      return;
    }
    views = embedded;
    hooks.dag = embedded.dag.view;
    hooks.timeline = embedded.timeline.view;
  }

  async function applyPatch(
    shown: { dag: Embedded; timeline: Embedded },
    nodes: readonly NodeDatum[],
    edges: readonly EdgeDatum[],
    tasks: readonly TimelineDatum[],
    size: ChartSize,
  ) {
    const changed = new Set(nodes.map((n) => n.id));
    const replace = (view: View, name: string, rows: readonly { id: number }[]) => {
      if (rows.length === 0) return;
      const ids = new Set(rows.map((r) => r.id));
      view.change(
        name,
        vega
          .changeset()
          .remove((d: { id: number }) => ids.has(d.id))
          .insert(rows),
      );
    };
    replace(shown.dag.view, "nodes", nodes);
    if (edges.length > 0) shown.dag.view.change("edges", vega.changeset().insert(edges));
    replace(shown.timeline.view, "tasks", tasks);
    const fitted = fit(size);
    if (fitted.width !== shown.dag.view.width()) shown.dag.view.width(fitted.width);
    if (fitted.height !== shown.dag.view.height()) shown.dag.view.height(fitted.height);
    await Promise.all([shown.dag.view.runAsync(), shown.timeline.view.runAsync()]);
    hooks.patches = Number(hooks.patches) + 1;
    hooks.lastPatch = { at: Date.now(), nodes: [...changed] };
    if (openTask !== undefined && changed.has(openTask))
      send({ type: "task", run: openRun, task: openTask });
  }

  function showTaskOf(id: number): void {
    openTask = id;
    send({ type: "task", run: openRun, task: id });
  }

  function showTask(task: TaskDetail): void {
    if (task.id !== openTask) return;
    const table = (entries: [string, string][]): PageElement => {
      const element = make("table");
      if (entries.length === 0) element.append(make("tr", "none", "muted"));
      for (const [key, value] of entries) {
        const row = make("tr");
        row.append(make("th", key), make("td", value));
        element.append(row);
      }
      return element;
    };
    const head = make("div");
    head.append(make("b", task.name), " ", make("span", task.state, `state ${task.state}`));
    const parts: (PageElement | string)[] = [
      head,
      make("div", `${task.kind} · pk ${task.pk ?? "?"} · attempt ${task.attempt}`, "muted"),
      make("h3", "Inputs"),
      table(Object.entries(task.inputs)),
      make("h3", "Outputs"),
      table(Object.entries(task.outputs)),
    ];
    if (task.error !== null) {
      parts.push(
        make("h3", "Error"),
        make("pre", task.error.stack ?? `${task.error.name}: ${task.error.message}`),
      );
    }
    const first = task.history[0]?.at ?? 0;
    parts.push(
      make("h3", "State history"),
      table(task.history.map((h) => [h.state, `${time(h.at)} (+${h.at - first} ms)`])),
      make("h3", "Log"),
      make("pre", task.logs.join("\n") || "no lines"),
      make("h3", "Source"),
      make("pre", task.source ?? "not stored"),
    );
    const panel = byId("task");
    panel.className = "";
    panel.setAttribute("data-task", String(task.id));
    panel.replaceChildren(...parts);
  }

  const socket = connect();
}
