/**
 * Publishes the events of a run a worker holds on the bus: numbered from 0 for this holding,
 * sent in batches (one message per event-loop turn), then the run's end.
 */
import type { EngineEvent } from "../../model/events.js";
import type { Daemon } from "../daemon.js";
import type { Bus } from "./bus.js";

/** Follows run `pk` in `daemon` and publishes its events and its end on `bus`. */
export function publishRunEvents(daemon: Daemon, bus: Bus, pk: number): void {
  let next = 0;
  let batch: EngineEvent[] = [];
  let scheduled = false;
  const send = (): void => {
    scheduled = false;
    if (batch.length === 0) return;
    const events = batch;
    batch = [];
    const from = next;
    next += events.length;
    void bus.publish({ kind: "events", pk, holding: bus.id, from, events }).catch(() => undefined);
  };
  daemon.follow(pk, {
    event(event) {
      batch.push(event);
      if (!scheduled) {
        scheduled = true;
        setImmediate(send);
      }
    },
    end(state) {
      send();
      void bus.publish({ kind: "ended", pk, state }).catch(() => undefined);
    },
  });
}
