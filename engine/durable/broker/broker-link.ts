/**
 * The link to the workers of a broker profile: runs are queued on the broker's `runs` queue,
 * followed on its bus, and commanded through it. BullMQ loads on first use, not with the
 * package.
 */
import type { ProvenanceReader } from "../../store/reader.js";
import type { ProvenanceStore } from "../../store/store.js";
import type { RunLink } from "../run-link.js";

/** A {@link RunLink} that can also queue a stored run. */
export interface BrokerLink extends RunLink {
  /** Puts stored run `pk` on the `runs` queue; resolves once the broker has it. */
  queue(pk: number): Promise<void>;
}

/** The link to the workers of `profile`, whose broker is `url`. */
export function brokerLink(
  profile: string,
  url: string,
  store: ProvenanceStore & ProvenanceReader,
): BrokerLink {
  return {
    where: `a worker of profile ${profile}`,
    async queue(pk) {
      const { queueRun } = await import("./broker-client.js");
      await queueRun(url, pk);
    },
    async follow(run, emit) {
      const { followOnBus } = await import("./bus-follower.js");
      await followOnBus(url, store, run, emit);
    },
    async control(pk, action) {
      const { controlOnBus } = await import("./bus-control.js");
      await controlOnBus(url, store, pk, action);
    },
  };
}
