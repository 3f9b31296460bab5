/**
 * Following a run held by a worker of the broker, from any process: its events come on the
 * bus, numbered per holding (a worker's time with the run). A follower asks the holder for
 * what it missed (joined late, or a gap); a new holding (another worker continued the run)
 * starts again from 0. Whatever the bus lost, the store has: when the holder is silent, and
 * when the run ends, the follower compares what it passed on with the stored run and passes on
 * the difference as events (tasks it never heard of, states it missed, the run's end).
 */
import type { EngineEvent } from "../../model/events.js";
import { GraphModel } from "../../model/graph-model.js";
import { isTerminalRun, type RunState } from "../../model/states.js";
import type { ProvenanceReader } from "../../store/reader.js";
import type { LinkedRun } from "../run-link.js";
import { catchUp } from "../stored-catch-up.js";
import { withBrokerClient } from "./broker-client.js";
import type { BusMessage } from "./bus.js";

/** How often the follower looks at the store, and after how much silence it asks again. */
const CHECK_EVERY_MS = 1_000;
const SILENCE_MS = 3_000;

/** Passes on the events of `run` from the bus until it has ended (see the module comment). */
export function followOnBus(
  url: string,
  store: ProvenanceReader,
  run: LinkedRun,
  emit: (event: EngineEvent) => void,
): Promise<void> {
  return withBrokerClient(url, ({ bus }) => {
    const model = new GraphModel({
      name: run.name,
      pk: run.pk,
      state: "CREATED",
      tasks: [],
      edges: [],
    });
    const pass = (event: EngineEvent): void => {
      model.apply(event);
      emit(event);
    };
    let holding: string | undefined;
    const retired = new Set<string>();
    let next = 0;
    let heardAt = Date.now();
    let askedAt = 0;
    let ended = false;
    const ask = (from: number): void => {
      askedAt = Date.now();
      void bus
        .publish({ kind: "replay", pk: run.pk, from, follower: bus.id })
        .catch(() => undefined);
    };
    const storedEnd = (): boolean =>
      isTerminalRun((store.node(run.pk)?.state ?? "CREATED") as RunState);

    return new Promise<void>((resolve) => {
      let unsubscribe: () => void = () => undefined;
      const finish = (): void => {
        if (ended) return;
        ended = true;
        clearInterval(timer);
        unsubscribe();
        catchUp(store, run, model, pass);
        resolve();
      };
      const receive = (message: BusMessage): void => {
        if (ended) return;
        if (message.kind === "ended" && message.pk === run.pk) {
          if (storedEnd()) finish();
          return;
        }
        if (message.kind !== "events" || message.pk !== run.pk) return;
        if (message.to !== undefined && message.to !== bus.id) return;
        if (retired.has(message.holding)) return;
        heardAt = Date.now();
        if (message.holding !== holding) {
          // a new holding numbers from 0: the run was continued by another worker
          if (holding !== undefined) retired.add(holding);
          holding = message.holding;
          next = 0;
        }
        if (message.from > next) {
          if (Date.now() - askedAt > SILENCE_MS / 3) ask(next);
          return;
        }
        for (const event of message.events.slice(next - message.from)) pass(event);
        next = Math.max(next, message.from + message.events.length);
      };
      const timer = setInterval(() => {
        if (storedEnd()) {
          finish();
          return;
        }
        if (Date.now() - heardAt > SILENCE_MS && Date.now() - askedAt > SILENCE_MS) {
          // the holder is silent (busy, gone, or the run still queued): what is stored shows
          catchUp(store, run, model, pass);
          ask(holding !== undefined ? next : 0);
        }
      }, CHECK_EVERY_MS);
      void bus.subscribe(receive).then((off) => {
        unsubscribe = off;
        if (ended) off();
        else if (storedEnd()) finish();
        else ask(0);
      });
    });
  });
}
