/** RxJS operators over a run's events, for the views and logs that follow a run live. */
import { filter, map, scan, type OperatorFunction } from "rxjs";
import type { EngineEvent, EngineEventOf, EngineEventType, ReportLine } from "./events.js";
import type { TaskState } from "./states.js";

/** Only the events of one type, typed as such. */
export function ofType<K extends EngineEventType>(
  type: K,
): OperatorFunction<EngineEvent, EngineEventOf<K>> {
  return filter((event): event is EngineEventOf<K> => event.type === type);
}

/** The report lines of a run, as they happen. */
export function reportLines(): OperatorFunction<EngineEvent, ReportLine> {
  return (events) =>
    events.pipe(
      ofType("report"),
      map((event) => event.line),
    );
}

/** After every task event, the state of each task so far, by task id. */
export function taskStates(): OperatorFunction<EngineEvent, ReadonlyMap<number, TaskState>> {
  return (events) =>
    events.pipe(
      filter((e) => e.type === "task.created" || e.type === "task.state"),
      scan(
        (states, event) => {
          const next = new Map(states);
          if (event.type === "task.created") next.set(event.task.id, "PLANNED");
          else if (event.type === "task.state") next.set(event.taskId, event.state);
          return next;
        },
        new Map<number, TaskState>() as ReadonlyMap<number, TaskState>,
      ),
    );
}
